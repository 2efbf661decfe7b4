//! The `/Encoding` array of a Type 1 font program: which glyph name each
//! code stands for, from the `dup 32 /space put` lines of its clear-text
//! part. A copy of type1-encoding-parser 0.1.1 whose pom lexer is replaced
//! by the one in our adobe-cmap-parser copy; lexing stops at `eexec`, where
//! the encrypted part begins.

use std::collections::HashMap;

pub use adobe_cmap_parser::Value;

/// Every token of the font program's clear-text part.
pub fn parse(input: &[u8]) -> Result<Vec<Value>, String> {
    adobe_cmap_parser::parse_until(input, Some("eexec"))
}

pub fn get_encoding_map(input: &[u8]) -> Result<HashMap<u32, Vec<u8>>, &'static str> {
    let lexed = parse(input).map_err(|_| "failed to parse")?;
    let before = |i: usize, k: usize| i.checked_sub(k).and_then(|p| lexed.get(p));
    let mut i = 0;
    let mut map = HashMap::new();
    while i < lexed.len() {
        match &lexed[i] {
            Value::Operator(o) if o == "array" => {
                if !matches!(before(i, 1), Some(Value::Integer(_))) {
                    return Err("array expected int");
                }
                let Some(Value::Name(name)) = before(i, 2) else {
                    return Err("expected name");
                };
                i += 1;
                if name == b"Encoding" {
                    while i < lexed.len() {
                        match &lexed[i] {
                            Value::Operator(o) if o == "put" => {
                                let Some(Value::Name(name)) = before(i, 1) else {
                                    return Err("expected name");
                                };
                                let Some(Value::Integer(id)) = before(i, 2) else {
                                    return Err("array expected int");
                                };
                                map.insert(*id as u32, name.clone());
                            }
                            Value::Operator(o) if o == "def" => break,
                            _ => {}
                        }
                        i += 1;
                    }
                }
            }
            _ => i += 1,
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoding_of_a_font_program() {
        let font = b"%!PS-AdobeFont-1.0: Foo\n%comment\n/FontName /Foo def\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 32 /space put\ndup 65 /A put\nreadonly def\ncurrentfile eexec\n\x80\x01binary{[(";
        let map = get_encoding_map(font).unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map[&32], b"space");
        assert_eq!(map[&65], b"A");
        assert!(get_encoding_map(b"/Encoding StandardEncoding def")
            .unwrap()
            .is_empty());
    }
}
