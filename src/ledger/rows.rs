//! Rows of a ledger that are not requests: the header printed again at the
//! top of every page, a 合计 row, the signatures and date at the foot, a
//! title repeated inside the sheet. They are skipped and counted in the
//! summary, never asked about.

use super::{Header, keywords};
use crate::text::norm;

/// Why a row is no request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotRequest {
    Header,
    Total,
    Footer,
    Title,
}

impl NotRequest {
    pub fn label(self) -> &'static str {
        match self {
            NotRequest::Header => "表头重复",
            NotRequest::Total => "合计行",
            NotRequest::Footer => "签名行",
            NotRequest::Title => "标题行",
        }
    }
}

/// What a row is when it is no request; `None` for a request (or a row
/// that may be one).
pub fn not_request(row: &[String], header: &Header) -> Option<NotRequest> {
    let cells: Vec<String> = row.iter().map(|c| norm(c)).collect();
    let filled: Vec<(usize, &String)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let (_, first) = *filled.first()?;
    // The header again: most of its filled cells repeat the header's.
    let same = filled
        .iter()
        .filter(|(i, c)| header.cells.get(*i).is_some_and(|h| norm(h) == **c))
        .count();
    if same * 2 > filled.len() && same >= 2 {
        return Some(NotRequest::Header);
    }
    if keywords::TOTAL_WORDS.iter().any(|w| first.starts_with(w))
        || filled.len() <= 3
            && filled
                .iter()
                .any(|(_, c)| keywords::TOTAL_WORDS.iter().any(|w| c.starts_with(w)))
    {
        return Some(NotRequest::Total);
    }
    if filled
        .iter()
        .any(|(_, c)| keywords::FOOTER_WORDS.iter().any(|w| c.starts_with(w)))
    {
        return Some(NotRequest::Footer);
    }
    // A lone cell of words naming the ledger: a title repeated on a page.
    if filled.len() == 1
        && ["台账", "登记表", "登记簿", "情况表"]
            .iter()
            .any(|w| first.contains(w))
    {
        return Some(NotRequest::Title);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_totals_footers_and_titles() {
        let h = Header {
            row: 0,
            cells: row(&["序号", "申请人", "收到日期", "处理结果"]),
        };
        assert_eq!(
            not_request(&row(&["序号", "申请人", "收到日期", "处理结果"]), &h),
            Some(NotRequest::Header)
        );
        assert_eq!(
            not_request(&row(&["", "申请人", "收到日期", ""]), &h),
            Some(NotRequest::Header)
        );
        assert_eq!(
            not_request(&row(&["合计：3,178件"]), &h),
            Some(NotRequest::Total)
        );
        assert_eq!(
            not_request(&row(&["", "合计", "", "3178"]), &h),
            Some(NotRequest::Total)
        );
        assert_eq!(
            not_request(&row(&["填表人：张三", "", "审核人：李四"]), &h),
            Some(NotRequest::Footer)
        );
        assert_eq!(
            not_request(&row(&["填报日期：2026年1月5日"]), &h),
            Some(NotRequest::Footer)
        );
        assert_eq!(
            not_request(&row(&["2025年政府信息公开申请登记台账"]), &h),
            Some(NotRequest::Title)
        );
        assert_eq!(
            not_request(&row(&["1", "张三", "2025-01-02", "予以公开"]), &h),
            None
        );
        assert_eq!(not_request(&row(&["", "", ""]), &h), None);
    }
}
