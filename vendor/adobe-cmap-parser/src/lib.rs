//! Adobe CMap files as PDF fonts carry them (ToUnicode, CID maps).
//!
//! A copy of adobe-cmap-parser 0.4.1 whose pom-based lexer is replaced by a
//! hand-written one: the same tokens (`Value`s) for every CMap the original
//! read, about ten times faster, and lenient where the original panicked
//! (an odd number of hex digits is padded with 0 as the PDF reference says;
//! a stray byte is skipped). The two maps built from the tokens are the
//! original's, with indexing that returns an error instead of panicking.

use std::collections::HashMap;

#[derive(Debug)]
pub enum Value {
    LiteralString(Vec<u8>),
    Name(Vec<u8>),
    Number(String),
    Integer(i64),
    Array(Vec<Value>),
    /// `{ … }`, as Type 1 font programs write them (the CMap lexer never
    /// met one; type1-encoding-parser's copy shares this lexer).
    Procedure(Vec<Value>),
    Operator(String),
    Boolean(bool),
    Dictionary(HashMap<String, Value>),
}

/// Deepest nesting of arrays and dictionaries followed; deeper input is
/// an error, not a stack overflow.
const MAX_DEPTH: usize = 64;

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | 0x0C)
}

fn is_delimiter(c: u8) -> bool {
    is_space(c) || b"()<>[]{}/%".contains(&c)
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// White space and comments.
    fn skip(&mut self) {
        while let Some(c) = self.peek() {
            if is_space(c) {
                self.i += 1;
            } else if c == b'%' {
                while self.peek().is_some_and(|c| c != b'\n' && c != b'\r') {
                    self.i += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next value, or `None` at the end of the input or of an enclosing
    /// array (`]`) or dictionary (`>>`), which are left for the caller.
    fn value(&mut self, depth: usize) -> Result<Option<Value>, String> {
        loop {
            self.skip();
            let Some(c) = self.peek() else {
                return Ok(None);
            };
            let v = match c {
                b']' | b'}' => return Ok(None),
                b'>' if self.s.get(self.i + 1) == Some(&b'>') => return Ok(None),
                b'<' if self.s.get(self.i + 1) == Some(&b'<') => {
                    self.i += 2;
                    Value::Dictionary(self.dictionary(depth + 1)?)
                }
                b'<' => {
                    self.i += 1;
                    Value::LiteralString(self.hex_string())
                }
                b'[' => {
                    self.i += 1;
                    Value::Array(self.array(depth + 1, b']')?)
                }
                b'{' => {
                    self.i += 1;
                    Value::Procedure(self.array(depth + 1, b'}')?)
                }
                b'(' => {
                    self.i += 1;
                    Value::LiteralString(self.literal_string())
                }
                b'/' => {
                    self.i += 1;
                    Value::Name(self.name())
                }
                b'+' | b'-' | b'.' | b'0'..=b'9' => match self.number() {
                    Some(v) => v,
                    None => continue,
                },
                c if c.is_ascii_alphabetic() || b"*'\"".contains(&c) => {
                    let start = self.i;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphabetic() || b"*'\"".contains(&c))
                    {
                        self.i += 1;
                    }
                    let word = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                    match word.as_str() {
                        "true" => Value::Boolean(true),
                        "false" => Value::Boolean(false),
                        _ => Value::Operator(word),
                    }
                }
                _ => {
                    // A byte no token starts with (a stray >, binary data).
                    self.i += 1;
                    continue;
                }
            };
            return Ok(Some(v));
        }
    }

    fn nested(&self, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            Err(format!("nesting deeper than {MAX_DEPTH}"))
        } else {
            Ok(())
        }
    }

    fn dictionary(&mut self, depth: usize) -> Result<HashMap<String, Value>, String> {
        self.nested(depth)?;
        let mut dict = HashMap::new();
        loop {
            self.skip();
            match self.peek() {
                None => return Err("unterminated dictionary".into()),
                Some(b'>') => {
                    self.i = (self.i + 2).min(self.s.len());
                    return Ok(dict);
                }
                Some(b'/') => {
                    self.i += 1;
                    let key = String::from_utf8_lossy(&self.name()).into_owned();
                    match self.value(depth)? {
                        Some(v) => {
                            dict.insert(key, v);
                        }
                        None => return Err("dictionary key without a value".into()),
                    }
                }
                Some(_) => return Err("dictionary key is not a name".into()),
            }
        }
    }

    /// The values up to `close` (`]` or `}`).
    fn array(&mut self, depth: usize, close: u8) -> Result<Vec<Value>, String> {
        self.nested(depth)?;
        let mut items = Vec::new();
        while let Some(v) = self.value(depth)? {
            items.push(v);
        }
        match self.peek() {
            Some(c) if c == close => {
                self.i += 1;
                Ok(items)
            }
            _ => Err("unterminated array or procedure".into()),
        }
    }

    fn hex_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == b'>' {
                break;
            }
            let Some(d) = hex_value(c) else {
                continue; // white space inside, or junk
            };
            match high.take() {
                Some(h) => out.push(h << 4 | d),
                None => high = Some(d),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    fn literal_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut open = 1usize;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'(' => {
                    open += 1;
                    out.push(c);
                }
                b')' => {
                    open -= 1;
                    if open == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0C),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.i += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    fn name(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            if is_delimiter(c) && c != b'#' {
                break;
            }
            self.i += 1;
            if c == b'#' {
                let pair = (
                    self.peek().and_then(hex_value),
                    self.s.get(self.i + 1).copied().and_then(hex_value),
                );
                if let (Some(h), Some(l)) = pair {
                    self.i += 2;
                    out.push(h << 4 | l);
                    continue;
                }
            }
            out.push(c);
        }
        out
    }

    /// An integer, or a real kept as its text, as the original gave them.
    fn number(&mut self) -> Option<Value> {
        let start = self.i;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.i += 1;
        }
        let digits = |l: &mut Self| {
            let from = l.i;
            while l.peek().is_some_and(|c| c.is_ascii_digit()) {
                l.i += 1;
            }
            l.i - from
        };
        let whole = digits(self);
        let mut frac = 0;
        let dot = self.peek() == Some(b'.');
        if dot {
            self.i += 1;
            frac = digits(self);
        }
        let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        if whole == 0 && frac == 0 {
            return None; // a sign or a dot alone
        }
        if !dot {
            if let Ok(v) = text.parse::<i64>() {
                return Some(Value::Integer(v));
            }
        }
        Some(Value::Number(text))
    }
}

/// Every token of a CMap file, in order.
pub fn parse(input: &[u8]) -> Result<Vec<Value>, String> {
    parse_until(input, None)
}

/// The tokens up to and including the operator `stop` (a Type 1 font's
/// `eexec`, after which the program is encrypted binary), or all of them.
pub fn parse_until(input: &[u8], stop: Option<&str>) -> Result<Vec<Value>, String> {
    let mut lexer = Lexer { s: input, i: 0 };
    let mut out = Vec::new();
    loop {
        match lexer.value(0)? {
            Some(Value::Operator(o)) if Some(o.as_str()) == stop => {
                out.push(Value::Operator(o));
                return Ok(out);
            }
            Some(v) => out.push(v),
            None => {
                lexer.skip();
                match lexer.peek() {
                    None => return Ok(out),
                    // A `]` or `>>` with nothing open.
                    Some(_) => lexer.i += 1,
                }
            }
        }
    }
}

fn as_code(str: &[u8]) -> u32 {
    let mut code: u32 = 0;
    for c in str {
        code = (code << 8) | (*c as u32);
    }
    code
}

fn count_before(lexed: &[Value], i: usize, what: &'static str) -> Result<i64, &'static str> {
    match i.checked_sub(1).and_then(|p| lexed.get(p)) {
        Some(Value::Integer(c)) => Ok(*c),
        _ => Err(what),
    }
}

fn string_at<'v>(
    lexed: &'v [Value],
    i: usize,
    what: &'static str,
) -> Result<&'v [u8], &'static str> {
    match lexed.get(i) {
        Some(Value::LiteralString(s)) => Ok(s),
        _ => Err(what),
    }
}

/// Return a mapping from character codes to Unicode character sequences expressed in UTF-16BE encoding.
pub fn get_unicode_map(input: &[u8]) -> Result<HashMap<u32, Vec<u8>>, &'static str> {
    let lexed = parse(input).map_err(|_| "failed to parse")?;
    let mut i = 0;
    let mut map = HashMap::new();
    while i < lexed.len() {
        match &lexed[i] {
            Value::Operator(o) if o == "beginbfchar" => {
                let count = count_before(&lexed, i, "beginbfchar exected int")?;
                i += 1;
                for _ in 0..count {
                    let char_code = string_at(&lexed, i, "beginbfchar exected hexstring")?;
                    let uni_code = string_at(&lexed, i + 1, "beginbfchar exected hexstring")?;
                    map.insert(as_code(char_code), uni_code.to_vec());
                    i += 2;
                }
                i += 1;
            }
            Value::Operator(o) if o == "beginbfrange" => {
                let count = count_before(&lexed, i, "beginbfrange exected int")?;
                i += 1;
                for _ in 0..count {
                    let lower_code =
                        as_code(string_at(&lexed, i, "beginbfrange exected hexstring")?);
                    let upper_code =
                        as_code(string_at(&lexed, i + 1, "beginbfrange exected hexstring")?);
                    if upper_code < lower_code || upper_code - lower_code > 0xFFFF {
                        return Err("bad bfrange");
                    }
                    match lexed.get(i + 2) {
                        Some(Value::LiteralString(start)) => match start.len() {
                            4 => {
                                let val = as_code(start);
                                for c in lower_code..=upper_code {
                                    let code = val.wrapping_add(c - lower_code);
                                    map.insert(c, code.to_be_bytes().to_vec());
                                }
                            }
                            2 => {
                                let val: u16 = as_code(start) as u16;
                                for c in lower_code..=upper_code {
                                    let code = val.wrapping_add((c - lower_code) as u16);
                                    map.insert(c, code.to_be_bytes().to_vec());
                                }
                            }
                            _ => return Err("bad length of hexstring"),
                        },
                        Some(Value::Array(codes)) => {
                            if (upper_code - lower_code + 1) as usize != codes.len() {
                                return Err("bad length of array");
                            }
                            for (c, v) in (lower_code..=upper_code).zip(codes) {
                                match v {
                                    Value::LiteralString(s) => map.insert(c, s.clone()),
                                    _ => return Err("beginbfrange exected hexstring"),
                                };
                            }
                        }
                        _ => return Err("beginbfrange exected array or literal"),
                    }
                    i += 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(map)
}

fn as_code_range(start_chars: &[u8], end_chars: &[u8]) -> Result<CodeRange, &'static str> {
    if start_chars.len() != end_chars.len() {
        return Err("codespace range ends of different lengths");
    }
    Ok(CodeRange {
        start: as_code(start_chars),
        end: as_code(end_chars),
        width: start_chars.len() as u32 / 2,
    })
}

#[derive(Debug)]
pub struct CodeRange {
    pub width: u32,
    pub start: u32,
    pub end: u32,
}

/// The original's field names, kept for pdf-extract.
#[allow(non_snake_case)]
#[derive(Debug)]
pub struct CIDRange {
    pub src_code_lo: u32,
    pub src_code_hi: u32,
    pub dst_CID_lo: u32,
}

#[derive(Debug)]
pub struct ByteMapping {
    pub codespace: Vec<CodeRange>,
    pub cid: Vec<CIDRange>,
}

pub fn get_byte_mapping(input: &[u8]) -> Result<ByteMapping, &'static str> {
    let lexed = parse(input).map_err(|_| "failed to parse")?;
    let mut i = 0;
    let mut result = ByteMapping {
        codespace: Vec::new(),
        cid: Vec::new(),
    };
    while i < lexed.len() {
        match &lexed[i] {
            Value::Operator(o) if o == "begincodespacerange" => {
                let count = count_before(&lexed, i, "begincodespacerange exected int")?;
                i += 1;
                for _ in 0..count {
                    let start = string_at(&lexed, i, "begincodespacerange exected hexstring")?;
                    let end = string_at(&lexed, i + 1, "begincodespacerange exected hexstring")?;
                    result.codespace.push(as_code_range(start, end)?);
                    i += 2;
                }
                i += 1;
            }
            Value::Operator(o) if o == "begincidrange" => {
                let count = count_before(&lexed, i, "begincidrange exected int")?;
                i += 1;
                for _ in 0..count {
                    let start = string_at(&lexed, i, "begincidrange exected hexstring")?;
                    let end = string_at(&lexed, i + 1, "begincidrange exected hexstring")?;
                    let offset = match lexed.get(i + 2) {
                        Some(Value::Integer(s)) => *s,
                        _ => return Err("begincidrange exected int"),
                    };
                    result.cid.push(CIDRange {
                        src_code_lo: as_code(start),
                        src_code_hi: as_code(end),
                        dst_CID_lo: offset as u32,
                    });
                    // Three tokens an entry (the original stepped by two and
                    // failed on every CMap with more than one range).
                    i += 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ToUnicode CMap as Word and LibreOffice write them.
    const TO_UNICODE: &[u8] = b"/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo<<\n/Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n3 beginbfchar\n<0003> <0020>\n<0A2F> <653F>\n<0A30><5E9C>\nendbfchar\n2 beginbfrange\n<0010> <0012> <0030>\n<0020> <0021> [<4E00> <D840DC00>]\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

    #[test]
    fn a_to_unicode_cmap_as_office_writes_it() {
        let map = get_unicode_map(TO_UNICODE).unwrap();
        assert_eq!(map[&0x0003], vec![0x00, 0x20]);
        assert_eq!(map[&0x0A2F], vec![0x65, 0x3F]); // 政
        assert_eq!(map[&0x0A30], vec![0x5E, 0x9C]); // 府
        assert_eq!(map[&0x0011], vec![0x00, 0x31]);
        assert_eq!(map[&0x0012], vec![0x00, 0x32]);
        assert_eq!(map[&0x0020], vec![0x4E, 0x00]);
        assert_eq!(map[&0x0021], vec![0xD8, 0x40, 0xDC, 0x00]);
        assert_eq!(map.len(), 8);
        let mapping = get_byte_mapping(TO_UNICODE).unwrap();
        assert_eq!(mapping.codespace.len(), 1);
        assert_eq!(
            (mapping.codespace[0].start, mapping.codespace[0].end),
            (0, 0xFFFF)
        );
    }

    #[test]
    fn several_cid_ranges_are_read_entry_by_entry() {
        let cmap = b"2 begincidrange\n<0000> <00ff> 1\n<0100> <01ff> 300\nendcidrange";
        let m = get_byte_mapping(cmap).unwrap();
        assert_eq!(m.cid.len(), 2);
        assert_eq!((m.cid[1].src_code_lo, m.cid[1].dst_CID_lo), (0x100, 300));
    }

    #[test]
    fn tokens_literal_strings_names_and_numbers() {
        let v = parse(b"(a\\(b\\)c\\101) /A#42c 12 -3 4.5 true { 1 add } [ <4e 0> ]").unwrap();
        assert!(matches!(&v[0], Value::LiteralString(s) if s == b"a(b)cA"));
        assert!(matches!(&v[1], Value::Name(n) if n == b"ABc"));
        assert!(matches!(v[2], Value::Integer(12)));
        assert!(matches!(v[3], Value::Integer(-3)));
        assert!(matches!(&v[4], Value::Number(n) if n == "4.5"));
        assert!(matches!(v[5], Value::Boolean(true)));
        assert!(matches!(&v[6], Value::Procedure(p) if p.len() == 2));
        assert!(
            matches!(&v[7], Value::Array(a) if matches!(&a[0], Value::LiteralString(s) if s == &[0x4E, 0x00]))
        );
    }

    /// Damaged CMaps (a PDF cut short, bytes flipped) give an error or a
    /// map, never a panic, and a deep nest is refused rather than followed.
    #[test]
    fn damaged_cmaps_never_panic() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut b = TO_UNICODE.to_vec();
            for _ in 0..(next() % 8) {
                let at = (next() as usize) % b.len();
                match next() % 3 {
                    0 => b[at] = next() as u8,
                    1 => b.truncate(at.max(1)),
                    _ => b.insert(at, b"<>[]{}()/%\\"[(next() % 11) as usize]),
                }
            }
            let _ = get_unicode_map(&b);
            let _ = get_byte_mapping(&b);
        }
        let deep = [b'['; 100_000];
        assert!(parse(&deep).is_err());
        assert!(get_unicode_map(b"1 beginbfrange <0000> <FFFFFFFF> <0000> endbfrange").is_err());
        assert!(get_unicode_map(b"beginbfchar <01>").is_err());
    }
}
