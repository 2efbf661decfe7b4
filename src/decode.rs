//! Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.
//!
//! A report with a few damaged bytes (a broken download, two encodings
//! pasted together) is still read: the encoding that fails least is used,
//! the damaged places become U+FFFD and are counted, and the importer turns
//! the count into a finding. Only text that fails in more than one place in
//! [`DAMAGE_LIMIT`] is refused as not text at all.

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_8};

/// The text and the name of the encoding it was read with.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Byte sequences that were not valid in that encoding, each replaced
    /// by U+FFFD.
    pub damaged: usize,
}

/// At most one damaged place per this many characters still reads as text.
pub const DAMAGE_LIMIT: usize = 200;

/// Decode with replacements, counting the damaged places: a run of
/// malformed bytes with nothing readable between is one place, and a U+FFFD
/// that was already in the text is not counted.
fn lossy(enc: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    let mut dec = enc.new_decoder_without_bom_handling();
    let cap = dec
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len());
    let mut out = String::with_capacity(cap);
    let (mut rest, mut damaged) = (bytes, 0);
    // Where the last replacement ended: a new one right there is the same place.
    let mut last_bad = usize::MAX;
    loop {
        let (result, read) = dec.decode_to_string_without_replacement(rest, &mut out, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return (out, damaged),
            DecoderResult::OutputFull => out.reserve(rest.len() * 3 + 16),
            DecoderResult::Malformed(..) => {
                if out.len() != last_bad {
                    damaged += 1;
                }
                out.push('\u{FFFD}');
                last_bad = out.len();
            }
        }
    }
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
        let (text, damaged) = lossy(enc, &bytes[bom_len..]);
        let name = if enc == UTF_8 {
            "UTF-8（带 BOM）"
        } else {
            enc.name()
        };
        return acceptable(Decoded {
            text,
            encoding: name,
            damaged,
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
    let gb = || {
        let (text, damaged) = lossy(GB18030, bytes);
        Decoded {
            text,
            encoding: "GB18030（GBK）",
            damaged,
        }
    };
    if declares_gb(bytes) {
        return acceptable(gb());
    }
    let (text, damaged) = lossy(UTF_8, bytes);
    let utf8 = Decoded {
        text,
        encoding: "UTF-8",
        damaged,
    };
    if utf8.damaged == 0 {
        return Ok(utf8);
    }
    let gb = gb();
    acceptable(if gb.damaged < utf8.damaged { gb } else { utf8 })
}

/// Text with only a few damaged places is read; more is not text.
fn acceptable(d: Decoded) -> Result<Decoded, DecodeError> {
    if d.damaged > 0 && d.damaged * DAMAGE_LIMIT > d.text.chars().count() {
        Err(DecodeError::Binary)
    } else {
        Ok(d)
    }
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

    /// One broken byte in a long UTF-8 or GBK text: read in the right
    /// encoding, the place counted; a wholly foreign byte soup is refused.
    #[test]
    fn a_few_damaged_bytes_are_counted_not_refused() {
        let s = "浔阳区人民政府2023年政府信息公开工作年度报告。".repeat(40);
        let mut utf8 = s.as_bytes().to_vec();
        utf8[301] = 0xFF;
        let d = decode(&utf8).unwrap();
        assert_eq!((d.encoding, d.damaged), ("UTF-8", 1));
        assert!(d.text.contains('\u{FFFD}') && d.text.contains("浔阳区人民政府"));
        let (gbk, _, _) = GB18030.encode(&s);
        let mut gbk = gbk.into_owned();
        gbk[300] = 0xFF;
        gbk[301] = 0x20;
        let d = decode(&gbk).unwrap();
        assert_eq!((d.encoding, d.damaged), ("GB18030（GBK）", 1));
        assert!(d.text.contains("浔阳区人民政府"));
        // A U+FFFD already in the text is not damage.
        let d = decode("报告\u{FFFD}正文".as_bytes()).unwrap();
        assert_eq!(d.damaged, 0);
        // Damage every few bytes: neither encoding reads it.
        let soup: Vec<u8> = "年度报告"
            .bytes()
            .chain([0xFF])
            .cycle()
            .take(2600)
            .collect();
        assert_eq!(decode(&soup).err(), Some(DecodeError::Binary));
    }
}
