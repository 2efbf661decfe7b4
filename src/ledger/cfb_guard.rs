//! Checks on an .xls (a compound file) before calamine reads it, for
//! failures no `catch_unwind` can stop: a damaged file that makes calamine
//! ask for more memory than there is aborts the process, or has the kernel
//! kill it. Both were found by the fuzz campaign's ledger kind.
//!
//! - calamine follows a compound file's sector chains until their end mark,
//!   appending each sector; an allocation table with a loop grows that
//!   buffer until memory runs out (24 GB resident, then the OOM killer).
//! - calamine reserves rows × columns cells from each DIMENSIONS record
//!   before reading a cell; a damaged record asks for 100 GB.

/// Cells an .xls sheet may declare (4 Mi: 65,536 rows × 64 columns; the
/// format allows 256 columns). calamine holds the whole area in memory,
/// 32 bytes a cell, so this keeps one sheet under about 130 MB and a
/// quarter of a second; a larger area is refused with a way out (.xlsx is
/// streamed and has no such limit).
const MAX_XLS_CELLS: u64 = 4 << 20;

const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Why a compound file is not read.
#[derive(Debug, PartialEq, Eq)]
pub enum Unsafe {
    /// A sector chain loops.
    Loop,
    /// A sheet declares an absurd area.
    Area,
}

/// Check a file's bytes; files that are not compound files pass.
pub fn check(bytes: &[u8]) -> Result<(), Unsafe> {
    if !bytes.starts_with(&SIGNATURE) {
        return Ok(());
    }
    if !chains_end(bytes) {
        return Err(Unsafe::Loop);
    }
    if !dimensions_bounded(bytes) {
        return Err(Unsafe::Area);
    }
    Ok(())
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn words(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(|c| u32_at(c, 0))
}

/// Does every chain of the file allocation table end? The table is read
/// as calamine reads it (header DIFAT, then the DIFAT chain, whose length is
/// bounded by the file); a table calamine cannot read is left to calamine,
/// which refuses it.
fn chains_end(bytes: &[u8]) -> bool {
    const RESERVED: u32 = 0xFFFF_FFFA;
    const DIFSECT: u32 = 0xFFFF_FFFC;
    if bytes.len() < 512 {
        return true;
    }
    let size = match u16_at(bytes, 30) {
        9 => 512,
        12 => 4096,
        _ => return true,
    };
    // Sector i starts after the header, which takes one sector.
    let sector = |id: u32| {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        let end = bytes.len().min(start.checked_add(size)?);
        bytes.get(start..end)
    };
    let sectors = bytes.len() / size;
    let mut difat: Vec<u32> = words(&bytes[76..512]).collect();
    let mut id = u32_at(bytes, 68);
    let mut steps = 0;
    while id < RESERVED {
        steps += 1;
        let Some(s) = sector(id).filter(|_| steps <= sectors + 1) else {
            return true;
        };
        difat.extend(words(s));
        let Some(next) = difat.pop() else { return true };
        id = next;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|&id| id < DIFSECT) {
        let Some(s) = sector(id) else { return true };
        fat.extend(words(s));
    }
    acyclic(&fat)
}

/// Does following `next` from every entry end outside the table? (Each
/// entry is visited a bounded number of times: 0 new, 1 on the current
/// path, 2 known to end.)
fn acyclic(next: &[u32]) -> bool {
    let mut state = vec![0u8; next.len()];
    let mut path = Vec::new();
    for start in 0..next.len() {
        let mut at = start;
        while at < next.len() && state[at] == 0 {
            state[at] = 1;
            path.push(at);
            at = next[at] as usize;
        }
        if at < next.len() && state[at] == 1 {
            return false;
        }
        for p in path.drain(..) {
            state[p] = 2;
        }
    }
    true
}

/// Does every DIMENSIONS record (type 0x0200, 10, 14 or 16 bytes) declare a
/// sane area? The record is looked for in the raw bytes: writers store the
/// workbook stream in whole sectors, so a record is contiguous in the file.
fn dimensions_bounded(bytes: &[u8]) -> bool {
    let u32_of = |b: &[u8], i: usize| u64::from(u32_at(b, i));
    let u16_of = |b: &[u8], i: usize| u64::from(u16_at(b, i));
    bytes.windows(4).enumerate().all(|(at, w)| {
        if w[0] != 0x00 || w[1] != 0x02 || w[3] != 0 {
            return true;
        }
        let data = &bytes[at + 4..];
        let (first_row, last_row, first_col, last_col) = match w[2] {
            10 if data.len() >= 8 => (
                u16_of(data, 0),
                u16_of(data, 2),
                u16_of(data, 4),
                u16_of(data, 6),
            ),
            14 | 16 if data.len() >= 12 => (
                u32_of(data, 0),
                u32_of(data, 4),
                u16_of(data, 8),
                u16_of(data, 10),
            ),
            _ => return true,
        };
        // The area as calamine computes it (`parse_dimensions`, then
        // `(end − start + 1)` in wrapping u32): a last row before the
        // first wraps to four billion rows.
        if last_row == 0 || last_col == 0 {
            return true;
        }
        let first_col = if first_col > 0xFF || last_col < first_col {
            0
        } else {
            first_col
        };
        let rows = u64::from((last_row as u32).wrapping_sub(first_row as u32));
        let cols = u64::from((last_col as u32).wrapping_sub(first_col as u32));
        rows.saturating_mul(cols) <= MAX_XLS_CELLS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_are_found_and_chains_that_end_pass() {
        assert!(acyclic(&[1, 2, 0xFFFF_FFFE, 0xFFFF_FFFF]));
        assert!(acyclic(&[]));
        assert!(!acyclic(&[1, 2, 0]));
        assert!(!acyclic(&[0xFFFF_FFFE, 1]));
        assert!(!acyclic(&[3, 3, 0xFFFF_FFFE, 1]));
    }
}
