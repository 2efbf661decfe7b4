//! Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// The text and the name of the encoding it was read with.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Why bytes are not a text report.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    Binary,
}

/// Does the HTML declare a Chinese legacy charset in its first bytes?
fn declares_gb(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    [
        "charset=gb2312",
        "charset=gbk",
        "charset=gb18030",
        "charset=\"gb2312",
        "charset=\"gbk",
        "charset=\"gb18030",
    ]
    .iter()
    .any(|c| head.contains(c))
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(DecodeError::Binary);
        }
        let name = if enc == UTF_8 {
            "UTF-8（带 BOM）"
        } else {
            enc.name()
        };
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: name,
        });
    }
    // NUL bytes or many control characters: not a text file.
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
        .count();
    if bytes.contains(&0) || controls * 50 > bytes.len() {
        return Err(DecodeError::Binary);
    }
    if !declares_gb(bytes)
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        return Ok(Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
        });
    }
    let (text, _, had_errors) = GB18030.decode(bytes);
    if had_errors {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: "GB18030（GBK）",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_encoding() {
        let s = "浔阳区人民政府2023年政府信息公开工作年度报告 鄠埇";
        assert_eq!(decode(s.as_bytes()).unwrap().encoding, "UTF-8");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        let d = decode(&bom).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (s, "UTF-8（带 BOM）"));
        let (gbk, _, _) = GB18030.encode(s);
        let d = decode(&gbk).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (s, "GB18030（GBK）"));
        assert_eq!(decode(b"  \n").err(), Some(DecodeError::Empty));
        assert_eq!(
            decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]).err(),
            Some(DecodeError::Binary)
        );
    }
}
