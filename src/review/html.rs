//! The review as one self-contained HTML page: no network, no external
//! files. The summary table sorts by any column and filters by verdict and
//! text with a few lines of inline script; each report has a detail
//! section. Every unit name, path and message goes through maud's escaping.

use super::{Batch, Entry, FIGURES, SECTIONS, Verdict, show_decimal, show_share};
use crate::check::Severity;
use crate::schema::REQUEST_COLUMNS;
use maud::{DOCTYPE, Markup, PreEscaped, html as m};

const CSS: &str = r#"
body { font-family: 'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif; margin: 16px; color: #111; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; } h3 { font-size: 16px; margin: 18px 0 6px; }
table.sum { border-collapse: collapse; font-size: 13px; }
table.sum th, table.sum td { border: 1px solid #999; padding: 3px 6px; text-align: center; white-space: nowrap; }
table.sum th { background: #eee; cursor: pointer; user-select: none; }
table.sum td.u { text-align: left; }
tr.v-需修改 td.v { background: #fde2e1; font-weight: bold; }
tr.v-无法读取 td.v { background: #ffe9c2; font-weight: bold; }
tr.v-需人工核对 td.v { background: #fff4d6; font-weight: bold; }
tr.v-通过 td.v { background: #e0f3e0; }
td.bad { color: #b00; font-weight: bold; } td.high { background: #fff1b8; }
.bar { margin: 10px 0; } .bar select, .bar input { font-size: 14px; margin-right: 8px; }
ul.f li { margin: 2px 0; } .ids { color: #555; font-family: monospace; font-size: 12px; }
.err { color: #b00; } .warn { color: #a60; } .info { color: #357; }
.charts { display: flex; gap: 32px; flex-wrap: wrap; margin: 12px 0; } .charts svg text { font-size: 12px; }
"#;

const JS: &str = r#"
(function(){
  var t = document.getElementById('sum'); if (!t) return;
  var body = t.tBodies[0];
  var heads = t.tHead.rows[0].cells;
  for (let i = 0; i < heads.length; i++) {
    heads[i].addEventListener('click', function(){
      var asc = this.dataset.dir !== 'asc'; this.dataset.dir = asc ? 'asc' : 'desc';
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function(a, b){
        var x = a.cells[i].dataset.sort || a.cells[i].textContent;
        var y = b.cells[i].dataset.sort || b.cells[i].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'zh');
        return asc ? c : -c;
      });
      rows.forEach(function(r){ body.appendChild(r); });
    });
  }
  var sel = document.getElementById('verdict'), q = document.getElementById('q');
  function apply(){
    var v = sel.value, s = q.value.trim();
    Array.prototype.forEach.call(body.rows, function(r){
      var ok = (!v || r.dataset.verdict === v) && (!s || r.textContent.indexOf(s) >= 0);
      r.style.display = ok ? '' : 'none';
    });
  }
  sel.addEventListener('change', apply); q.addEventListener('input', apply);
})();
"#;

fn row(i: usize, e: &Entry, b: &Batch) -> Markup {
    let threshold = b.threshold;
    let v = e.verdict.label();
    m! {
        tr class=(format!("v-{v}")) data-verdict=(v) {
            td class="u" { a href=(format!("#r{i}")) { (e.unit()) } }
            td { @if e.report.meta.year != 0 { (e.report.meta.year) } }
            td class="u" { (e.path.display().to_string()) }
            td { (e.kind.label()) }
            td data-sort=(e.cells.0) { (e.cells.0) "/" (e.cells.1) }
            td class=[(e.count(Severity::Error) > 0).then_some("bad")] { (e.count(Severity::Error)) }
            td { (e.count(Severity::Warning)) }
            td { (e.count(Severity::Info)) }
            @for k in 0..6 {
                @let b = e.r1.get(k);
                td class=[b.filter(|b| b.mark() == "✗").map(|_| "bad")] { (b.map(|b| b.mark()).unwrap_or("")) }
            }
            @for f in &e.figures { td { (show_decimal(f)) } }
            @for s in &e.repetition {
                td class=[s.filter(|s| *s > threshold).map(|_| "high")] data-sort=(s.map(|s| format!("{s:.1}")).unwrap_or_default()) { (show_share(s)) }
            }
            @let copied = b.copied_from(e);
            td class=[(!copied.is_empty()).then_some("high")] { (copied.join("；")) }
            td class="v" { (v) }
        }
    }
}

fn detail(i: usize, e: &Entry) -> Markup {
    m! {
        h3 id=(format!("r{i}")) { (e.unit()) "（" (e.verdict.label()) "）" }
        p { "文件：" (e.path.display().to_string()) "；格式：" (e.kind.label())
            @if let Some(from) = &e.last_year_from { "；上年内容：" (from) } }
        @if let Some(err) = &e.error { p class="err" { (err) } }
        @if !e.notes.is_empty() {
            p { "导入说明：" }
            ul { @for n in &e.notes { li { (n) } } }
        }
        @for (sev, class) in [(Severity::Error, "err"), (Severity::Warning, "warn"), (Severity::Info, "info")] {
            @let group: Vec<_> = e.findings.iter().filter(|f| f.severity == sev && !f.from_reading()).collect();
            @if !group.is_empty() {
                p class=(class) { (sev.label()) " " (group.len()) " 项" }
                (finding_list(&group))
            }
        }
        @let reading: Vec<_> = e.findings.iter().filter(|f| f.from_reading()).collect();
        @if !reading.is_empty() {
            p class="warn" { "读取问题 " (reading.len()) " 项（读取原件时没有把握之处，不是单位的错误，请对照原件核对）" }
            (finding_list(&reading))
        }
    }
}

fn finding_list(group: &[&crate::check::Finding]) -> Markup {
    m! {
        ul class="f" {
            @for f in group {
                li {
                    (f.severity.label()) "·" (f.rule) " " (f.message)
                    @if f.expected.is_some() || f.actual.is_some() {
                        "（应为 " (f.expected.as_deref().unwrap_or("—")) "，实为 " (f.actual.as_deref().unwrap_or("—")) "）"
                    }
                    @if !f.cells.is_empty() {
                        " " span class="ids" { (f.cells.iter().take(6).cloned().collect::<Vec<_>>().join("，")) @if f.cells.len() > 6 { "…" } }
                    }
                }
            }
        }
    }
}

/// The review page.
pub fn html(b: &Batch) -> String {
    m! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="generator" content="nianbao";
                title { "年度报告审核结果" }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { "政府信息公开工作年度报告审核结果" }
                p { (b.tally()) "。与上年重复率超过 " (format!("{:.0}", b.threshold)) "% 的部分以黄色标出。" }
                @if !b.missing.is_empty() {
                    p class="err" { "缺报 " (b.missing.len()) " 个单位：" (b.missing.join("、")) }
                }
                @for (u, c) in &b.duplicates {
                    p class="warn" { (u) " 出现了 " (c) " 次，可能重复报送" }
                }
                @if !b.late.is_empty() {
                    p class="warn" { "逾期报送 " (b.late.len()) " 个单位（截止 " (b.deadline.as_deref().unwrap_or("")) "）："
                        (b.late.iter().map(|(u, d)| format!("{u}（{d}）")).collect::<Vec<_>>().join("、")) }
                }
                div class="charts" { (PreEscaped(super::charts::verdicts(b))) (PreEscaped(super::charts::rules(b))) }
                div class="bar" {
                    label { "结论：" select id="verdict" {
                        option value="" { "全部" }
                        @for v in [Verdict::NeedsFix, Verdict::ManualCheck, Verdict::Unreadable, Verdict::Pass] { option value=(v.label()) { (v.label()) } }
                    } }
                    label { "查找：" input id="q" type="search" placeholder="单位名称或文件名"; }
                    "点击表头可排序"
                }
                table id="sum" class="sum" {
                    thead { tr {
                        th { "单位" } th { "年度" } th { "文件" } th { "格式" } th { "识别单元格" }
                        th { "错误" } th { "警告" } th { "提示" }
                        @for c in REQUEST_COLUMNS.iter().filter(|c| !c.derived) { th title="R1 勾稽关系" { "R1·" (c.label) } }
                        @for k in &FIGURES { th { (k.name) } }
                        @for (s, _) in &SECTIONS { th title="与上年重复" { "重复·" (s) } }
                        th title="与本批其他单位重复（R17）" { "单位间重复" }
                        th { "结论" }
                    } }
                    tbody { @for (i, e) in b.entries.iter().enumerate() { (row(i, e, b)) } }
                }
                h2 { "各报告详情" }
                @for (i, e) in b.entries.iter().enumerate() { (detail(i, e)) }
                script { (PreEscaped(JS)) }
            }
        }
    }
    .into_string()
}
