//! The reviewer's desk: read a whole batch of units' reports (every format
//! `import` reads, drafts included), check each, score its repetition of
//! last year, run the cross-year rules between a unit's consecutive years,
//! and give each a verdict. The CLI (`nianbao review`) and the GUI (审核一批
//! 报告) both call [`review`] and render [`Batch`] with [`html`] or [`csv`].

use crate::check::{Finding, Severity, cross_year};
use crate::open::{self, Kind};
use crate::parallel::par_map;
use crate::report::{Narrative, Report};
use crate::schema::{self, REQUEST_COLUMNS, TableId};
use crate::similarity::{DEFAULT_THRESHOLD, repetition};
use crate::year::{KeyFigure, figure};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

/// The key figures a reviewer reads first.
pub static FIGURES: [KeyFigure; 6] = [
    KeyFigure {
        name: "新收",
        parts: &[(TableId::Requests, "new")],
    },
    KeyFigure {
        name: "办结",
        parts: &[(TableId::Requests, "results_total")],
    },
    KeyFigure {
        name: "结转",
        parts: &[(TableId::Requests, "carried_forward")],
    },
    KeyFigure {
        name: "复议",
        parts: &[(TableId::Appeals, "review")],
    },
    KeyFigure {
        name: "诉讼",
        parts: &[
            (TableId::Appeals, "suit_direct"),
            (TableId::Appeals, "suit_after_review"),
        ],
    },
    KeyFigure {
        name: "收费（万元）",
        parts: &[(TableId::Active, "fees_wan")],
    },
];

/// How to read one narrative part of a report.
pub type PartText = fn(&Narrative) -> String;

/// The narrative parts scored for repetition, with how to read each.
pub static SECTIONS: [(&str, PartText); 4] = [
    ("前言", |n| n.preamble.clone()),
    ("一", |n| n.overview_text()),
    ("五", |n| n.problems.clone()),
    ("六", |n| n.other.clone()),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Pass,
    /// Every error comes from reading the document (an import finding, or
    /// a rule resting on a cell the reader was unsure of): a person must
    /// look at the original before the unit is told anything.
    ManualCheck,
    NeedsFix,
    Unreadable,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Pass,
        Verdict::ManualCheck,
        Verdict::NeedsFix,
        Verdict::Unreadable,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "通过",
            Verdict::ManualCheck => "需人工核对",
            Verdict::NeedsFix => "需修改",
            Verdict::Unreadable => "无法读取",
        }
    }

    /// The verdict a set of findings earns: the unit's own errors mean
    /// 需修改; errors that come only from reading mean 需人工核对.
    pub fn of(findings: &[Finding]) -> Verdict {
        let errors = findings.iter().filter(|f| f.severity == Severity::Error);
        let mut reading = false;
        for f in errors {
            if !f.from_reading() {
                return Verdict::NeedsFix;
            }
            reading = true;
        }
        if reading {
            Verdict::ManualCheck
        } else {
            Verdict::Pass
        }
    }
}

/// R1 for one applicant column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Balance {
    Holds,
    Fails,
    /// Blanks or invalid cells: R1 cannot be confirmed.
    Unknown,
}

impl Balance {
    pub fn mark(self) -> &'static str {
        match self {
            Balance::Holds => "✓",
            Balance::Fails => "✗",
            Balance::Unknown => "?",
        }
    }
}

/// One report of the batch.
#[derive(Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub kind: Kind,
    pub verdict: Verdict,
    /// Why it could not be read (for [`Verdict::Unreadable`]).
    pub error: Option<String>,
    pub report: Report,
    /// Import notes, then check findings, then cross-year findings.
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    pub cells: (usize, usize),
    /// R1 per applicant column (the six leaf columns).
    pub r1: Vec<Balance>,
    pub figures: Vec<Option<Decimal>>,
    /// Repetition of last year per [`SECTIONS`] entry, in percent.
    pub repetition: Vec<Option<f64>>,
    /// Where last year's text came from, if found.
    pub last_year_from: Option<String>,
    /// The reviewer's decisions on findings, by finding index.
    pub decided: Vec<(usize, decisions::Decision)>,
}

impl Entry {
    /// The reviewer's decision on finding `i`, if any.
    pub fn decision(&self, i: usize) -> Option<&decisions::Decision> {
        self.decided.iter().find(|(k, _)| *k == i).map(|(_, d)| d)
    }

    /// The findings that count against the unit: all but those the
    /// reviewer dismissed.
    pub fn standing(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().enumerate().filter_map(|(i, f)| {
            (self.decision(i).map(|d| d.decision) != Some(decisions::Kind::Dismissed)).then_some(f)
        })
    }

    pub fn unit(&self) -> String {
        let a = self.report.meta.agency.trim();
        if a.is_empty() {
            self.path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            a.to_string()
        }
    }
    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }
}

/// The whole batch.
pub struct Batch {
    pub entries: Vec<Entry>,
    /// Units on the list that sent nothing.
    pub missing: Vec<String>,
    /// Units that appear more than once for the same year.
    pub duplicates: Vec<(String, usize)>,
    pub threshold: f64,
    /// R17: (unit, other unit, part, share) — a unit's text repeating
    /// another unit's in this batch.
    pub between: Vec<(usize, usize, &'static str, f64)>,
    /// Units on the list that filed after the deadline: (unit, date filed).
    pub late: Vec<(String, String)>,
    pub deadline: Option<String>,
}

impl Batch {
    /// "共 N 份：通过 a，需人工核对 b，需修改 c，无法读取 d" (page, table,
    /// terminal).
    pub fn tally(&self) -> String {
        let n = |v| self.entries.iter().filter(|e| e.verdict == v).count();
        let parts: Vec<String> = Verdict::ALL
            .iter()
            .map(|&v| format!("{} {}", v.label(), n(v)))
            .collect();
        format!("共 {} 份：{}", self.entries.len(), parts.join("，"))
    }

    /// R17 as unordered pairs, for lists meant to be read once: each pair
    /// of units and part appears one time, with the share of the first in
    /// the second and, when both directions pass the threshold, the other.
    pub fn similar_pairs(&self) -> Vec<(usize, usize, &'static str, f64, Option<f64>)> {
        let mut out = Vec::new();
        for &(i, j, part, s) in &self.between {
            let back = self
                .between
                .iter()
                .find(|&&(a, b, p, _)| a == j && b == i && p == part)
                .map(|t| t.3);
            if back.is_some() && j < i {
                continue;
            }
            out.push((i, j, part, s, back));
        }
        out
    }

    /// R17 for one entry: "“一”与某某局 87%" for each unit it repeats.
    pub fn copied_from(&self, e: &Entry) -> Vec<String> {
        let Some(i) = self.entries.iter().position(|x| std::ptr::eq(x, e)) else {
            return Vec::new();
        };
        self.between
            .iter()
            .filter(|(a, ..)| *a == i)
            .map(|(_, j, part, s)| format!("“{part}”与{} {s:.0}%", self.entries[*j].unit()))
            .collect()
    }

    /// The exit code `check` would give: 0 all pass, 1 some need fixing or
    /// a person's look, 2 some could not be read.
    pub fn exit_code(&self) -> u8 {
        match self.entries.iter().map(|e| e.verdict).max() {
            Some(Verdict::Unreadable) => 2,
            Some(Verdict::NeedsFix | Verdict::ManualCheck) => 1,
            _ => 0,
        }
    }
}

/// What to review and against what.
#[derive(Default)]
pub struct Options {
    pub last_year: Vec<PathBuf>,
    /// The units expected, each with the date it filed when the list says
    /// ("某某局,2026-01-25").
    pub units: Option<Vec<(String, Option<String>)>>,
    /// Repetition above this share is flagged (percent); default 50.
    pub threshold: Option<f64>,
    /// The 汇总 to hold against the units' sum (R18).
    pub parent: Option<PathBuf>,
    /// The reviewer's earlier decisions.
    pub decisions: decisions::Decisions,
    /// The filing deadline (YYYY-MM-DD): units that filed later are listed.
    pub deadline: Option<String>,
}

/// Lines of a unit list → (unit, date filed): a name, optionally followed
/// by a date after a comma, a tab or spaces.
pub fn parse_units(lines: &[String]) -> Vec<(String, Option<String>)> {
    lines
        .iter()
        .filter_map(|l| {
            // "名称," with the date left empty is the name alone.
            let l = l.trim().trim_end_matches([',', '，', '\t', ' ']);
            if l.is_empty() {
                return None;
            }
            let cut = l.rfind([',', '，', '\t', ' ']);
            match cut.map(|i| (&l[..i], l[i..].trim_start_matches([',', '，', '\t', ' ']))) {
                Some((name, date)) if crate::date::parse(date).is_some() => Some((
                    name.trim().to_string(),
                    crate::date::parse(date).map(crate::date::show),
                )),
                _ => Some((l.to_string(), None)),
            }
        })
        .collect()
}

/// Files and folders → the report files below them, sorted, recursively.
/// Unknown extensions inside folders are skipped; a file named explicitly
/// is always taken (and is then unreadable if it is not a report).
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.iter().rev().cloned().collect();
    let mut depth_guard = 0usize;
    while let Some(p) = stack.pop() {
        depth_guard += 1;
        if depth_guard > 1_000_000 {
            break;
        }
        if p.is_dir() {
            let mut children: Vec<PathBuf> = std::fs::read_dir(&p)
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            children.sort();
            for c in children.into_iter().rev() {
                let is_report = c.is_dir() && !c.is_symlink()
                    || c.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        let e = e.to_ascii_lowercase();
                        e == crate::draft::EXTENSION
                            || open::PUBLISHED_EXTENSIONS.contains(&e.as_str())
                    });
                if is_report {
                    stack.push(c);
                }
            }
        } else {
            out.push(p);
        }
    }
    out
}

fn key(agency: &str) -> String {
    crate::text::norm(agency)
}

fn r1_by_column(findings: &[Finding]) -> Vec<Balance> {
    REQUEST_COLUMNS
        .iter()
        .filter(|c| !c.derived)
        .map(|c| {
            let ids: Vec<String> = ["new", "carried_over", "results_total", "carried_forward"]
                .iter()
                .map(|row| schema::cell_id(TableId::Requests, row, c.id))
                .collect();
            let hits = findings
                .iter()
                .filter(|f| f.rule == "R1" && f.cells.iter().any(|x| ids.contains(x)));
            let mut b = Balance::Holds;
            for f in hits {
                b = match f.severity {
                    Severity::Error if !f.reading => Balance::Fails,
                    _ if b == Balance::Holds => Balance::Unknown,
                    _ => b,
                };
            }
            b
        })
        .collect()
}

/// Review a batch. `progress` is called once per file read (from any
/// thread); setting `cancel` stops reading further files.
pub fn review(
    files: &[PathBuf],
    opts: &Options,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Batch {
    let threshold = opts.threshold.unwrap_or(DEFAULT_THRESHOLD);
    let mut entries = read_entries(files, progress, cancel);
    let last_reports: Vec<Report> = par_map(&opts.last_year, |p| open::load_any(p).ok())
        .into_iter()
        .flatten()
        .map(|l| l.report)
        .collect();
    against_last_year(&mut entries, &last_reports, threshold);
    // The 汇总 to check: the one named, else one the batch holds (a report
    // nianbao merged carries the names of its units).
    let parent = match &opts.parent {
        Some(p) => open::load_any(p).ok().map(|l| l.report),
        None => entries
            .iter()
            .find(|e| e.verdict != Verdict::Unreadable && !e.report.meta.merged_units.is_empty())
            .map(|e| e.report.clone()),
    };
    if let Some(p) = &parent {
        against_parent(&mut entries, p, opts.units.as_ref());
    }
    let between = between_units(&mut entries, threshold);
    for e in entries
        .iter_mut()
        .filter(|e| e.verdict != Verdict::Unreadable)
    {
        e.findings.sort_by_key(|f| f.severity);
    }
    apply_decisions(&mut entries, &opts.decisions);
    let (missing, late) = roll_call(&entries, opts);
    Batch {
        duplicates: duplicates(&entries),
        entries,
        missing,
        threshold,
        between,
        late,
        deadline: opts.deadline.clone(),
    }
}

/// The reviewer's decisions on the entries' findings, and the verdicts
/// and R1 marks that follow from the findings still standing.
pub fn apply_decisions(entries: &mut [Entry], decisions: &decisions::Decisions) {
    for e in entries
        .iter_mut()
        .filter(|e| e.verdict != Verdict::Unreadable)
    {
        let unit = e.unit();
        e.decided = e
            .findings
            .iter()
            .enumerate()
            .filter_map(|(i, f)| decisions.of(&unit, f).map(|d| (i, d.clone())))
            .collect();
        let standing: Vec<Finding> = e.standing().cloned().collect();
        e.r1 = r1_by_column(&standing);
        e.verdict = Verdict::of(&standing);
    }
}

/// Read every file (on every core) and check it.
fn read_entries(
    files: &[PathBuf],
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Vec<Entry> {
    let read = |p: &PathBuf| {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        let r = open::load_any(p);
        progress();
        Some(r)
    };
    let loaded = par_map(files, read);
    let mut entries = Vec::new();
    for (path, l) in files.iter().zip(loaded) {
        let Some(l) = l else { continue };
        let kind = Kind::of(path);
        let mut e = Entry {
            path: path.clone(),
            kind,
            verdict: Verdict::Pass,
            error: None,
            report: Report::default(),
            findings: vec![],
            notes: vec![],
            cells: (0, 0),
            r1: vec![],
            figures: vec![None; FIGURES.len()],
            repetition: vec![None; SECTIONS.len()],
            last_year_from: None,
            decided: vec![],
        };
        match l {
            Err(err) => {
                e.verdict = Verdict::Unreadable;
                e.error = Some(err);
            }
            Ok(l) => {
                e.findings = crate::check::with_import(&l.report, &l.import_findings);
                e.cells = match &l.summary {
                    Some(s) => {
                        e.notes = s.notes.clone();
                        (s.cells_found, s.cells_total)
                    }
                    None => (
                        (0..schema::fields().len())
                            .filter(|&i| !l.report.tables.value(i).display().is_empty())
                            .count(),
                        schema::fields().len(),
                    ),
                };
                e.figures = FIGURES
                    .iter()
                    .map(|k| figure(&l.report.tables, k))
                    .collect();
                e.report = l.report;
            }
        }
        entries.push(e);
    }
    entries
}

/// Last year for each unit: the draft's own `previous`, the same unit's
/// report of the year before in this batch, or a `--last-year` file. Then
/// R11 (repetition), R8/R9 (carry-over) and the trend signal.
fn against_last_year(entries: &mut [Entry], last_reports: &[Report], threshold: f64) {
    let by_unit_year: HashMap<(String, i32), usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.verdict != Verdict::Unreadable)
        .map(|(i, e)| ((key(&e.report.meta.agency), e.report.meta.year), i))
        .collect();
    for i in 0..entries.len() {
        if entries[i].verdict == Verdict::Unreadable {
            continue;
        }
        let (k, y) = (
            key(&entries[i].report.meta.agency),
            entries[i].report.meta.year,
        );
        let in_batch = by_unit_year
            .get(&(k.clone(), y - 1))
            .copied()
            .filter(|&j| j != i);
        let last: Option<(Narrative, Option<crate::report::Tables>, String)> =
            if let Some(j) = in_batch {
                Some((
                    entries[j].report.narrative.clone(),
                    Some(entries[j].report.tables.clone()),
                    format!("同批 {}", entries[j].path.display()),
                ))
            } else if let Some(p) = &entries[i].report.previous {
                Some((
                    p.narrative.clone(),
                    Some(p.tables.clone()),
                    "草稿中保存的上年内容".into(),
                ))
            } else {
                last_reports
                    .iter()
                    .filter(|r| key(&r.meta.agency) == k && !k.is_empty())
                    .min_by_key(|r| (r.meta.year - (y - 1)).abs())
                    .map(|r| {
                        (
                            r.narrative.clone(),
                            Some(r.tables.clone()),
                            format!("上年报告（{} 年）", r.meta.year),
                        )
                    })
            };
        let Some((narr, tables, from)) = last else {
            continue;
        };
        let e = &mut entries[i];
        e.repetition = SECTIONS
            .iter()
            .map(|(_, get)| repetition(&get(&e.report.narrative), &get(&narr)))
            .collect();
        for ((name, _), share) in SECTIONS.iter().zip(&e.repetition) {
            if let Some(s) = share.filter(|s| *s > threshold)
                && e.report.previous.is_none()
            {
                let mut f = Finding::new(
                    "R11",
                    Severity::Warning,
                    vec![],
                    format!("“{name}”与上年报告重复 {s:.0}%（超过 {threshold:.0}%）"),
                );
                f.actual = Some(format!("{s:.0}%"));
                e.findings.push(f);
            }
        }
        if let Some(t) = tables {
            // R8/R9 across the unit's two years, unless the draft ran them itself.
            if e.report.previous.is_none() {
                e.findings.extend(cross_year(&e.report.tables, &t));
            }
            e.findings.extend(trend(&e.report.tables, &t));
        }
        e.last_year_from = Some(from);
    }
}

/// The trend signal: a key figure over five times or under a fifth of last
/// year's (when last year had at least 10). Not an error; reviewers like
/// to be told.
pub fn trend(this: &crate::report::Tables, last: &crate::report::Tables) -> Vec<Finding> {
    let mut out = Vec::new();
    for k in FIGURES
        .iter()
        .filter(|k| ["新收", "办结", "复议", "诉讼"].contains(&k.name))
    {
        let (Some(now), Some(before)) = (figure(this, k), figure(last, k)) else {
            continue;
        };
        let ten = Decimal::from(10);
        if before < ten {
            continue;
        }
        let (big, small) = (
            now > before * Decimal::from(5),
            now * Decimal::from(5) < before,
        );
        if big || small {
            out.push(
                Finding::new(
                    "TREND",
                    Severity::Info,
                    vec![],
                    format!(
                        "{}为 {now}，上年为 {before}，{}，请了解原因",
                        k.name,
                        if big {
                            "增加到五倍以上"
                        } else {
                            "减少到五分之一以下"
                        }
                    ),
                )
                .with_values(before, now),
            );
        }
    }
    out
}

/// R18: a 汇总 against the sum of its units' cells, on the 汇总's entry
/// (or on the first entry when the 汇总 is not in the batch). Units its
/// own list or the roll call names that the batch lacks are named, since
/// the difference may come from them.
fn against_parent(
    entries: &mut [Entry],
    p: &Report,
    units: Option<&Vec<(String, Option<String>)>>,
) {
    let parent_key = key(&p.meta.agency);
    let mut sum = crate::report::Tables::default();
    let mut n = 0;
    let children: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.verdict != Verdict::Unreadable && key(&e.report.meta.agency) != parent_key)
        .collect();
    for &f in schema::leaves() {
        let total: Option<Decimal> = children
            .iter()
            .map(|e| e.report.tables.get(f).decimal())
            .sum();
        if let Some(t) = total {
            sum.set(
                f,
                crate::cell::parse_cell(&t.to_string(), schema::field(f).kind),
            );
        }
    }
    let mut diffs = Vec::new();
    for (f, field) in schema::fields().iter().enumerate() {
        if field.table == TableId::Active {
            continue;
        }
        let (a, b) = (p.tables.value(f).decimal(), sum.value(f).decimal());
        if let (Some(a), Some(b)) = (a, b)
            && a != b
        {
            n += 1;
            if diffs.len() < 10 {
                diffs.push(format!(
                    "{}：汇总为 {a}，各单位之和为 {b}",
                    field.accessible_name()
                ));
            }
        }
    }
    if n == 0 {
        return;
    }
    let present: std::collections::HashSet<String> =
        children.iter().map(|e| key(&e.unit())).collect();
    let mut absent: Vec<&str> = Vec::new();
    let named = units
        .into_iter()
        .flat_map(|l| l.iter().map(|(u, _)| u.as_str()))
        .chain(p.meta.merged_units.iter().map(String::as_str));
    for u in named {
        if !present.contains(&key(u)) && key(u) != parent_key && !absent.contains(&u) {
            absent.push(u);
        }
    }
    let mut msg = format!(
        "汇总报告与本批 {} 个单位之和有 {n} 处不同：{}{}",
        children.len(),
        diffs.join("；"),
        if n > diffs.len() { "……" } else { "" }
    );
    if !absent.is_empty() {
        msg.push_str(&format!(
            "。名单中有 {} 个单位不在本批中（{}），差异可能由此而来",
            absent.len(),
            absent.join("、")
        ));
    }
    let finding = Finding::new("R18", Severity::Warning, vec![], msg);
    match entries
        .iter_mut()
        .find(|e| key(&e.report.meta.agency) == parent_key)
    {
        Some(e) => e.findings.push(finding),
        None => {
            if let Some(e) = entries.first_mut() {
                e.findings.push(finding);
            }
        }
    }
}

/// R17: units whose 一 or 五 repeats another unit's in this batch.
fn between_units(entries: &mut [Entry], threshold: f64) -> Vec<(usize, usize, &'static str, f64)> {
    let readable: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].verdict != Verdict::Unreadable)
        .collect();
    let mut out = Vec::new();
    for (name, get) in SECTIONS.iter().filter(|(n, _)| *n == "一" || *n == "五") {
        let texts: Vec<String> = readable
            .iter()
            .map(|&i| get(&entries[i].report.narrative))
            .collect();
        for (a, b, share) in crate::similarity::batch_pairs(&texts, threshold, 3) {
            let (i, j) = (readable[a], readable[b]);
            // The same unit sent twice (Word and PDF) is a duplicate, not copying.
            if key(&entries[i].unit()) == key(&entries[j].unit()) {
                continue;
            }
            let other = entries[j].unit();
            entries[i].findings.push(
                Finding::new(
                    "R17",
                    Severity::Warning,
                    vec![
                        if *name == "一" {
                            crate::check::part::OVERVIEW
                        } else {
                            crate::check::part::PROBLEMS
                        }
                        .into(),
                    ],
                    format!(
                        "“{name}”与本批“{other}”的报告重复 {share:.0}%（超过 {threshold:.0}%）"
                    ),
                )
                .with_values(format!("{threshold:.0}%"), format!("{share:.0}%")),
            );
            out.push((i, j, *name, share));
        }
    }
    out
}

/// Units expected but absent, and units that filed after the deadline.
fn roll_call(entries: &[Entry], opts: &Options) -> (Vec<String>, Vec<(String, String)>) {
    let Some(list) = &opts.units else {
        return (Vec::new(), Vec::new());
    };
    // A unit is present under the name its report gives, or under its
    // file's name (files are usually named after the unit). A list name
    // that one received name contains, or is contained in, is that unit too
    // (平潭综合实验区 for 平潭综合实验区管理委员会), but only when no other
    // received name would also fit.
    let names: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let stem = e.path.file_stem().map(|s| key(&s.to_string_lossy()));
            std::iter::once(key(&e.unit()))
                .chain(stem)
                .filter(|k| !k.is_empty())
                .collect()
        })
        .collect();
    let received = |u: &str| {
        let k = key(u);
        let long = |s: &str| s.chars().count() >= 4;
        let fits = |p: &String| long(p) && long(&k) && (p.contains(&k) || k.contains(p.as_str()));
        names.iter().any(|n| n.contains(&k))
            || names.iter().filter(|n| n.iter().any(fits)).count() == 1
    };
    let missing = list
        .iter()
        .map(|(u, _)| u.trim())
        .filter(|u| !u.is_empty() && !received(u))
        .map(str::to_string)
        .collect();
    let late = match opts.deadline.as_deref().and_then(crate::date::parse) {
        Some(dl) => list
            .iter()
            .filter_map(|(u, d)| {
                let day = crate::date::parse(d.as_deref()?)?;
                (crate::date::days_from_civil(day) > crate::date::days_from_civil(dl))
                    .then(|| (u.clone(), crate::date::show(day)))
            })
            .collect(),
        None => Vec::new(),
    };
    (missing, late)
}

/// Units that appear more than once for the same year.
fn duplicates(entries: &[Entry]) -> Vec<(String, usize)> {
    let mut counts: HashMap<(String, i32), usize> = HashMap::new();
    for e in entries.iter().filter(|e| e.verdict != Verdict::Unreadable) {
        *counts.entry((e.unit(), e.report.meta.year)).or_default() += 1;
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|((u, y), n)| (format!("{u}（{y} 年）"), n))
        .collect();
    out.sort();
    out
}

fn show_decimal(d: &Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string())
        .unwrap_or_else(|| "—".into())
}

fn show_share(s: &Option<f64>) -> String {
    s.map(|s| format!("{s:.0}%")).unwrap_or_else(|| "—".into())
}

/// The summary as CSV with a BOM, so WPS and Excel open it as UTF-8.
pub fn csv(b: &Batch) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut head: Vec<String> = [
        "单位",
        "年度",
        "文件",
        "格式",
        "识别单元格",
        "错误",
        "警告",
        "提示",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    head.extend(
        REQUEST_COLUMNS
            .iter()
            .filter(|c| !c.derived)
            .map(|c| format!("R1·{}", c.label)),
    );
    head.extend(FIGURES.iter().map(|k| k.name.to_string()));
    head.extend(SECTIONS.iter().map(|(n, _)| format!("与上年重复·{n}")));
    head.push("与其他单位重复".into());
    head.push("结论".into());
    let mut out = String::from("\u{feff}");
    out.push_str(&head.join(","));
    out.push_str("\r\n");
    for e in &b.entries {
        let mut row = vec![
            e.unit(),
            if e.report.meta.year == 0 {
                String::new()
            } else {
                e.report.meta.year.to_string()
            },
            e.path.display().to_string(),
            e.kind.label().to_string(),
            format!("{}/{}", e.cells.0, e.cells.1),
            e.count(Severity::Error).to_string(),
            e.count(Severity::Warning).to_string(),
            e.count(Severity::Info).to_string(),
        ];
        row.extend(e.r1.iter().map(|b| b.mark().to_string()));
        row.resize(8 + 6, String::new());
        row.extend(e.figures.iter().map(show_decimal));
        row.extend(e.repetition.iter().map(show_share));
        row.push(b.copied_from(e).join("；"));
        row.push(e.verdict.label().to_string());
        out.push_str(&row.iter().map(|s| field(s)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// A plain-text summary for the terminal.
pub fn text(b: &Batch) -> String {
    let mut out = String::new();
    for e in &b.entries {
        let rep: Vec<String> = SECTIONS
            .iter()
            .zip(&e.repetition)
            .filter_map(|((n, _), s)| s.map(|s| format!("{n} {s:.0}%")))
            .collect();
        out.push_str(&format!(
            "【{}】{}（{}，{}）错误 {}，警告 {}{}{}\n",
            e.verdict.label(),
            e.unit(),
            e.path.display(),
            e.kind.label(),
            e.count(Severity::Error),
            e.count(Severity::Warning),
            if rep.is_empty() {
                String::new()
            } else {
                format!("，与上年重复：{}", rep.join("、"))
            },
            e.error
                .as_ref()
                .map(|m| format!("：{m}"))
                .unwrap_or_default(),
        ));
    }
    out.push_str(&b.tally());
    out.push('\n');
    if !b.missing.is_empty() {
        out.push_str(&format!(
            "缺报 {} 个单位：{}\n",
            b.missing.len(),
            b.missing.join("、")
        ));
    }
    for (u, c) in &b.duplicates {
        out.push_str(&format!("{u} 出现了 {c} 次\n"));
    }
    for (u, d) in &b.late {
        out.push_str(&format!(
            "逾期报送：{u}（{d}，截止 {}）\n",
            b.deadline.as_deref().unwrap_or("")
        ));
    }
    for (i, j, part, s, back) in b.similar_pairs() {
        let (a, o) = (b.entries[i].unit(), b.entries[j].unit());
        out.push_str(&match back {
            Some(t) => format!("单位间雷同：{a}与{o}的“{part}”相互重复（{s:.0}% / {t:.0}%）\n"),
            None => format!("单位间雷同：{a}的“{part}”与{o}重复 {s:.0}%\n"),
        });
    }
    out
}

mod charts;
pub mod decisions;
pub mod html;
pub mod notice;
pub mod opinions;
pub use html::html;

#[cfg(test)]
mod tests;
