//! The command line (DESIGN.md contract). Messages are Chinese; errors go to
//! stderr and name the file. Exit codes: 0 fine, 1 error findings, 2 a file
//! could not be read (or the command could not be carried out).

use crate::check::{Finding, Severity};
use crate::open::{import_file, load_any};
use crate::report::Report;
use crate::{draft, export, year};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use crate::version::VERSION;

#[derive(Parser, Debug)]
#[command(
    name = "nianbao",
    version = VERSION,
    about = "政府信息公开工作年度报告编写工具（国办公开办函〔2021〕30号格式）",
    after_help = "不带命令时打开图形界面。各命令的详细说明：nianbao 命令 --help"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// 在图形界面中打开的草稿文件
    pub file: Option<PathBuf>,
}

/// `nianbao review`: a batch of units' reports → the page, the CSV, each
/// faulty unit's report back with comments, and the 通报.
#[derive(clap::Args, Debug)]
pub struct ReviewArgs {
    /// 报告文件或文件夹
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 审核结果网页（单个 HTML 文件，可排序、筛选）
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// 审核结果表格（CSV，可用 WPS/Excel 打开）
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// 上年的报告（按单位名称对应），用于计算重复率和跨年检查
    #[arg(long = "last-year", num_args = 1..)]
    pub last_year: Vec<PathBuf>,
    /// 应报单位名单（每行一个单位，可在名称后加逗号和报送日期），用于列出缺报和迟报单位
    #[arg(long)]
    pub units: Option<PathBuf>,
    /// 与上年或其他单位重复率超过多少（百分比）时提示，默认 50
    #[arg(long)]
    pub threshold: Option<f64>,
    /// 为每个有问题的单位写出带批注的 Word 文件（审核意见）到此文件夹
    #[arg(long)]
    pub opinions: Option<PathBuf>,
    /// 写出审核情况通报（Word）
    #[arg(long)]
    pub notice: Option<PathBuf>,
    /// 审核单位名称（批注的作者、通报的落款）
    #[arg(long, default_value = "审核单位")]
    pub reviewer: String,
    /// 审核决定文件（JSON），记录已核实、不采纳的问题，重新审核时保留
    #[arg(long)]
    pub decisions: Option<PathBuf>,
    /// 报送截止日期（YYYY-MM-DD），与名单中的报送日期比较列出迟报单位
    #[arg(long)]
    pub deadline: Option<String>,
    /// 本级汇总报告，与各单位之和核对（R18）
    #[arg(long)]
    pub parent: Option<PathBuf>,
    /// 输出文件已存在时覆盖
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 新建一份空白草稿
    New {
        /// 新草稿的文件名（.nianbao）
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 机关名称
        #[arg(long)]
        agency: Option<String>,
        /// 报告年度（默认为上一年）
        #[arg(long)]
        year: Option<i32>,
        /// 输出文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 检查草稿或已发布的报告（.txt/.html/.docx/.pdf）
    Check {
        /// 要检查的文件（可多个）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 以 JSON 数组输出检查结果
        #[arg(long)]
        json: bool,
    },
    /// 导出为 HTML、HTML 片段、文本、JSON、Word（.docx）或 PDF
    ///
    /// 文本格式不加 -o 时输出到屏幕；Word 和 PDF 不加 -o 时写在原文件旁边（同名、换扩展名）。
    Export {
        /// 草稿或已发布的报告
        file: PathBuf,
        /// 导出格式
        #[arg(long = "to", value_enum)]
        to: Format,
        /// 输出文件
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// 输出文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 将已发布的报告（文本、网页、Word 或 PDF）导入为草稿
    Import {
        /// 已发布的报告（.txt/.html/.docx/.pdf，旧版 .doc/.wps 需要 LibreOffice）
        published: PathBuf,
        /// 生成的草稿（.nianbao）
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 输出文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 以上年报告为基础新建本年草稿
    NewYear {
        /// 上年的草稿或已发布的报告
        last: PathBuf,
        /// 本年的新草稿（.nianbao）
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 输出文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 汇总多个单位的报告
    Merge {
        /// 各单位的草稿或已发布的报告
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 汇总后的草稿（.nianbao）
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 应报单位名单（每行一个），用于列出缺报单位
        #[arg(long)]
        units: Option<PathBuf>,
        /// 将各单位主要数据汇总表另存为 CSV
        #[arg(long)]
        csv: Option<PathBuf>,
        /// 输出文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 审核一批报告：逐份检查、与上年比较重复率，输出汇总表
    ///
    /// 可给出文件或文件夹（含子文件夹），接受草稿和 .txt/.html/.docx/.pdf。
    /// 退出码：0 全部通过，1 有需修改的报告，2 有无法读取的文件。
    Review(ReviewArgs),
    /// 从依申请公开登记台账（.xlsx/.xls/.ods/.csv）统计表三
    ///
    /// 打印统计结果和无法判断的行；仍有无法判断的行时退出码为 1，不写出文件。
    Ledger {
        /// 登记台账文件
        ledger: PathBuf,
        /// 报告年度
        #[arg(long)]
        year: i32,
        /// 只统计这一个工作表（默认统计所有含申请记录的工作表，汇总表除外）
        #[arg(long)]
        sheet: Option<String>,
        /// 指定列的含义，如 --map 申请人类别=申请人（字段：申请编号、申请人、申请人类型、收到日期、处理结果、不予公开理由、备注、答复日期、是否结转、补正日期、是否延期）
        #[arg(long = "map", value_name = "列名=字段")]
        map: Vec<String>,
        /// 把统计结果写入新草稿
        #[arg(short = 'o', long = "output", conflicts_with = "into")]
        output: Option<PathBuf>,
        /// 把统计结果填入已有草稿的表三
        #[arg(long)]
        into: Option<PathBuf>,
        /// 输出文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 与上年报告比较主要数据
    Compare {
        /// 本年的报告
        this: PathBuf,
        /// 上年的报告
        last: PathBuf,
    },
}

/// `--to`: the core's export formats ([`export::Format`]), by their ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format(pub export::Format);

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: std::sync::OnceLock<Vec<Format>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| export::Format::ALL.iter().map(|&f| Format(f)).collect())
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.id()).help(self.0.label()))
    }
}

fn run_ledger(
    path: &Path,
    year: i32,
    sheet: Option<&str>,
    map_args: &[String],
    output: Option<&Path>,
    into: Option<&Path>,
    force: bool,
) -> Result<ExitCode, String> {
    use crate::ledger::{self, Field};
    if let Some(p) = crate::report::year_problem(year) {
        return Err(p);
    }
    if let Some(o) = output {
        refuse_overwrite(o, force)?;
    }
    let sheets = ledger::read_path(path)?;
    let mem_path = ledger::memory_path();
    let mut memory = mem_path
        .as_deref()
        .map(ledger::load_memory)
        .unwrap_or_default();
    let mut plans = ledger::plan(&sheets, &memory);
    if let Some(n) = sheet {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        let k = names.iter().position(|s| *s == n).ok_or_else(|| {
            format!(
                "{}：没有名为“{n}”的工作表（有：{}）",
                path.display(),
                names.join("、")
            )
        })?;
        for (i, p) in plans.iter_mut().enumerate() {
            p.counted = i == k && p.header.is_some();
        }
        if plans[k].header.is_none() {
            return Err(format!(
                "{}：工作表“{n}”中没有找到表头（应有“申请人”“收到日期”“处理结果”等列名）",
                path.display()
            ));
        }
    }
    for m in map_args {
        let (col, field) = m
            .split_once('=')
            .ok_or_else(|| format!("--map 的写法应为“列名=字段”，而不是“{m}”"))?;
        let field = Field::from_label(field).ok_or_else(|| {
            format!(
                "不认识的字段“{field}”，可用：{}",
                Field::ALL
                    .iter()
                    .map(|f| f.label())
                    .collect::<Vec<_>>()
                    .join("、")
            )
        })?;
        let mut found = false;
        for p in plans.iter_mut() {
            let Some(h) = &p.header else { continue };
            if let Some(idx) = h
                .cells
                .iter()
                .position(|c| crate::text::norm(c) == crate::text::norm(col))
            {
                p.mapping.retain(|_, c| *c != idx);
                p.mapping.insert(field, idx);
                found = true;
                // A sheet left out only for a missing column may now count.
                if sheet.is_none()
                    && p.left_out
                        .as_deref()
                        .is_some_and(|w| w.starts_with("表头中没有"))
                    && ledger::count::missing_fields(&p.mapping).is_empty()
                {
                    p.left_out = None;
                    p.counted = true;
                }
            }
        }
        if !found {
            return Err(format!("所有工作表的表头中都没有名为“{col}”的列"));
        }
    }
    if !plans.iter().any(|p| p.counted) {
        let why: Vec<String> = plans
            .iter()
            .map(|p| format!("{}：{}", p.name, p.left_out.as_deref().unwrap_or("未选择")))
            .collect();
        return Err(format!(
            "{}：没有可统计的工作表（{}）。表头应有“申请人”“收到日期”“处理结果”等列，可用 --map 列名=字段 指定",
            path.display(),
            why.join("；")
        ));
    }
    // Each header layout once, with the columns it maps.
    let mut shown: Vec<&Vec<String>> = Vec::new();
    for p in plans.iter().filter(|p| p.counted) {
        let Some(h) = &p.header else { continue };
        if shown.contains(&&h.cells) {
            continue;
        }
        shown.push(&h.cells);
        println!("工作表“{}”的列：", p.name);
        for (f, c) in &p.mapping {
            println!(
                "  {} ← 第 {} 列“{}”",
                f.label(),
                c + 1,
                h.cells.get(*c).map(String::as_str).unwrap_or("")
            );
        }
    }
    let counted = ledger::count(&sheets, &plans, year, &memory);
    if !counted.checks.is_empty() {
        println!("台账自查（{} 条）：", counted.checks.len());
        const SHOWN: usize = 100;
        for c in counted.checks.iter().take(SHOWN) {
            println!("  【{}】{}：{}", c.severity.label(), c.place, c.message);
        }
        if counted.checks.len() > SHOWN {
            println!(
                "  ……另有 {} 条（图形界面中可逐条查看）",
                counted.checks.len() - SHOWN
            );
        }
    }
    let mut report = match into {
        Some(p) => draft::load(p).map_err(|e| e.to_string())?,
        None => Report::new("", year),
    };
    print!("{}", ledger::comparison(&report, &counted));
    println!("{}", counted.summary());
    for u in &counted.unclear {
        println!("  {}：{}（{}）", u.place, u.text, u.why);
    }
    if let Some(mp) = &mem_path {
        for p in plans.iter().filter(|p| p.counted) {
            if let Some(h) = &p.header {
                memory.remember_mapping(&h.cells, &p.mapping);
            }
        }
        let _ = ledger::save_memory(mp, &memory);
    }
    if !counted.unclear.is_empty() {
        println!(
            "仍有无法判断的行：请在台账中写明申请人类型和处理结果（或在图形界面中逐行确认）后再统计，未写出任何文件"
        );
        return Ok(ExitCode::from(1));
    }
    let target = into.or(output);
    if let Some(t) = target {
        let source = ledger::Source {
            file: path
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            date: crate::date::today(),
            rows: counted.rows_read,
        };
        ledger::apply(&mut report, &counted, source);
        save(&report, t)?;
        println!("已填入表三：{}", t.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on a terminal; hidden when stderr is redirected.
fn progress_bar(n: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 份 {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// A list of names, one per line (the 应报单位名单).
fn read_list(p: &Path) -> Result<Vec<String>, String> {
    let bytes = std::fs::read(p).map_err(|err| {
        draft::DraftError::Io {
            path: p.to_path_buf(),
            err,
        }
        .to_string()
    })?;
    let (text, _, _) = encoding_rs::UTF_8.decode(&bytes);
    let text = if text.contains('\u{fffd}') {
        encoding_rs::GB18030.decode(&bytes).0.into_owned()
    } else {
        text.into_owned()
    };
    Ok(text
        .lines()
        .map(|l| l.trim().trim_start_matches('\u{feff}').to_string())
        .filter(|l| !l.is_empty())
        .collect())
}

fn refuse_overwrite(path: &Path, force: bool) -> Result<(), String> {
    if path.exists() && !force {
        return Err(format!(
            "{}：文件已存在，未做改动。如要覆盖请加 --force",
            path.display()
        ));
    }
    Ok(())
}

fn save(report: &Report, path: &Path) -> Result<(), String> {
    draft::save(report, path).map_err(|e| e.to_string())
}

/// Print findings grouped by severity, readable for a clerk.
pub fn print_findings(name: &str, findings: &[Finding]) {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    println!(
        "== {name}：错误 {} 项，警告 {} 项，提示 {} 项",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    for sev in [Severity::Error, Severity::Warning, Severity::Info] {
        let group: Vec<_> = findings.iter().filter(|f| f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        println!("【{}】", sev.label());
        for f in group {
            let cells = if f.cells.is_empty() || f.cells.len() > 4 {
                String::new()
            } else {
                format!("  〔{}〕", f.cells.join("，"))
            };
            println!("  {} {}{cells}", f.rule, f.message);
        }
    }
}

/// The command line with clap's English chrome in Chinese: headings,
/// the help and version flags, on every subcommand.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    localize(Cli::command().disable_help_subcommand(true))
}

fn localize(cmd: clap::Command) -> clap::Command {
    let has_sub = cmd.get_subcommands().next().is_some();
    let has_pos = cmd.get_positionals().next().is_some();
    let mut t = String::from("{about-with-newline}\n用法：{usage}\n");
    if has_sub {
        t.push_str("\n命令：\n{subcommands}\n");
    }
    if has_pos {
        t.push_str("\n参数：\n{positionals}\n");
    }
    t.push_str("\n选项：\n{options}{after-help}");
    let version = cmd.get_version().is_some();
    let mut cmd = cmd.help_template(t).disable_help_flag(true).arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help("显示帮助"),
    );
    if version {
        cmd = cmd.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("显示版本和提交号"),
        );
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, localize);
    }
    cmd
}

/// Parse the process arguments with the localized command.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let m = command().get_matches();
    Cli::from_arg_matches(&m).unwrap_or_else(|e| e.exit())
}

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        None => unreachable!("the GUI handles no subcommand"),
        Some(cmd) => run_command(cmd),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("错误：{msg}");
            ExitCode::from(2)
        }
    }
}

fn write_out(output: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match output {
        Some(p) => draft::write_atomic(p, bytes).map_err(|e| e.to_string()),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .map_err(|e| format!("无法写出：{e}"))
        }
    }
}

fn run_command(cmd: Command) -> Result<ExitCode, String> {
    match cmd {
        Command::New {
            output,
            agency,
            year,
            force,
        } => {
            refuse_overwrite(&output, force)?;
            let year = year.unwrap_or_else(crate::report::default_report_year);
            if let Some(p) = crate::report::year_problem(year) {
                return Err(p);
            }
            let r = Report::new(agency.as_deref().unwrap_or(""), year);
            save(&r, &output)?;
            println!("已新建 {year} 年度草稿：{}", output.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { files, json } => run_check(&files, json),
        Command::Export {
            file,
            to: Format(to),
            output,
            force,
        } => {
            // Binary formats never go to a terminal: beside the input instead.
            let output =
                output.or_else(|| to.is_binary().then(|| file.with_extension(to.suffix())));
            if let Some(o) = &output {
                refuse_overwrite(o, force)?;
            }
            let l = load_any(&file)?;
            let bytes = to.render(&l.report)?;
            write_out(output.as_deref(), &bytes)?;
            if let Some(o) = output {
                eprintln!("已导出{}：{}", to.label(), o.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            published,
            output,
            force,
        } => {
            refuse_overwrite(&output, force)?;
            let imp = import_file(&published)?;
            save(&imp.report, &output)?;
            println!("{}", imp.summary);
            for n in &imp.summary.notes {
                println!("说明：{n}");
            }
            if !imp.findings.is_empty() {
                print_findings("导入时发现", &imp.findings);
            }
            println!("已保存草稿：{}", output.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::NewYear {
            last,
            output,
            force,
        } => {
            refuse_overwrite(&output, force)?;
            let l = load_any(&last)?;
            let r = year::new_year(&l.report).map_err(|e| format!("{}：{e}", last.display()))?;
            save(&r, &output)?;
            println!(
                "已从 {} 年度报告新建 {} 年度草稿：{}（上年结转已按上年“结转下年度继续办理”填好）",
                l.report.meta.year,
                r.meta.year,
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Merge {
            files,
            output,
            units,
            csv,
            force,
        } => run_merge(&files, &output, units.as_deref(), csv.as_deref(), force),
        Command::Review(a) => run_review(a),
        Command::Ledger {
            ledger,
            year,
            sheet,
            map,
            output,
            into,
            force,
        } => run_ledger(
            &ledger,
            year,
            sheet.as_deref(),
            &map,
            output.as_deref(),
            into.as_deref(),
            force,
        ),
        Command::Compare { this, last } => {
            let a = load_any(&this)?;
            let b = load_any(&last)?;
            print!(
                "{}",
                year::compare_table(&year::compare(&a.report.tables, &b.report.tables))
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `check`: every file's findings, as text or JSON; the exit code says
/// whether any file had errors (1) or could not be read (2).
fn run_check(files: &[PathBuf], json: bool) -> Result<ExitCode, String> {
    let mut all = Vec::new();
    let mut unreadable = false;
    let mut errors = false;
    for path in files {
        match load_any(path) {
            Ok(l) => {
                let fs = crate::check::with_import(&l.report, &l.import_findings);
                errors |= fs.iter().any(|f| f.severity == Severity::Error);
                if json {
                    all.push((path.display().to_string(), fs));
                } else {
                    if let Some(s) = &l.summary {
                        println!("{}：{s}", path.display());
                    }
                    print_findings(&path.display().to_string(), &fs);
                }
            }
            Err(msg) => {
                eprintln!("错误：{msg}");
                unreadable = true;
            }
        }
    }
    if json {
        let v: Vec<serde_json::Value> = if files.len() == 1 {
            all.into_iter()
                .flat_map(|(_, fs)| fs)
                .map(|f| serde_json::to_value(f).expect("finding"))
                .collect()
        } else {
            all.into_iter()
                .flat_map(|(file, fs)| {
                    fs.into_iter().map(move |f| {
                        let mut v = serde_json::to_value(f).expect("finding");
                        v["file"] = serde_json::Value::String(file.clone());
                        v
                    })
                })
                .collect()
        };
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
    }
    Ok(ExitCode::from(if unreadable {
        2
    } else if errors {
        1
    } else {
        0
    }))
}

/// `merge`: 汇总 the reports, print the per-unit table, save the draft.
fn run_merge(
    files: &[PathBuf],
    output: &Path,
    units: Option<&Path>,
    csv: Option<&Path>,
    force: bool,
) -> Result<ExitCode, String> {
    refuse_overwrite(output, force)?;
    let mut loaded = Vec::with_capacity(files.len());
    for (f, l) in files
        .iter()
        .zip(crate::parallel::par_map(files, |f| load_any(f)))
    {
        let l = l?;
        loaded.push(year::Unit {
            source: f.display().to_string(),
            report: l.report,
            import_findings: l.import_findings,
        });
    }
    let expected = units.map(read_list).transpose()?;
    let m = year::merge(&loaded, expected.as_deref()).map_err(|e| e.to_string())?;
    print!("{}", year::summary_table(&m));
    print_findings("汇总", &m.findings);
    if let Some(c) = csv {
        draft::write_atomic(c, year::summary_csv(&m).as_bytes()).map_err(|e| e.to_string())?;
        println!("已写出汇总表 CSV：{}", c.display());
    }
    save(&m.report, output)?;
    println!(
        "已汇总 {} 个单位，保存为：{}",
        m.units.len(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `review`: the batch, its page and CSV, the opinions and the 通报.
fn run_review(a: ReviewArgs) -> Result<ExitCode, String> {
    for o in a.output.iter().chain(&a.csv).chain(&a.notice) {
        refuse_overwrite(o, a.force)?;
    }
    if let Some(t) = a.threshold.filter(|t| !(0.0..=100.0).contains(t)) {
        return Err(format!("--threshold 应在 0 到 100 之间，而不是 {t}"));
    }
    if let Some(d) = a
        .deadline
        .as_deref()
        .filter(|d| crate::date::parse(d).is_none())
    {
        return Err(format!("--deadline 应为日期（如 2026-01-31），而不是“{d}”"));
    }
    let files = crate::review::collect(&a.paths);
    if files.is_empty() {
        return Err("没有找到可审核的报告文件".into());
    }
    let decisions = match &a.decisions {
        Some(p) => crate::review::decisions::Decisions::load(p)?,
        None => Default::default(),
    };
    let opts = crate::review::Options {
        last_year: a.last_year,
        units: a
            .units
            .as_deref()
            .map(read_list)
            .transpose()?
            .map(|l| crate::review::parse_units(&l)),
        threshold: a.threshold,
        parent: a.parent,
        decisions,
        deadline: a
            .deadline
            .as_deref()
            .and_then(crate::date::parse)
            .map(crate::date::show),
    };
    let bar = progress_bar(files.len());
    let batch = crate::review::review(
        &files,
        &opts,
        &|| bar.inc(1),
        &std::sync::atomic::AtomicBool::new(false),
    );
    bar.finish_and_clear();
    print!("{}", crate::review::text(&batch));
    if let Some(o) = &a.output {
        draft::write_atomic(o, crate::review::html(&batch).as_bytes())
            .map_err(|e| e.to_string())?;
        println!("已写出审核结果：{}", o.display());
    }
    if let Some(c) = &a.csv {
        draft::write_atomic(c, crate::review::csv(&batch).as_bytes()).map_err(|e| e.to_string())?;
        println!("已写出审核表格：{}", c.display());
    }
    if let Some(dir) = &a.opinions {
        let written = crate::review::opinions::write_all(&batch, dir, &a.reviewer, a.force)?;
        println!("已写出 {} 份审核意见：{}", written.len(), dir.display());
        for (unit, why) in written
            .iter()
            .filter_map(|w| w.1.as_ref().map(|why| (&w.0, why)))
        {
            eprintln!("  {unit}：{why}");
        }
    }
    if let Some(n) = &a.notice {
        draft::write_atomic(n, &crate::review::notice::docx(&batch, &a.reviewer))
            .map_err(|e| e.to_string())?;
        println!("已写出审核情况通报：{}", n.display());
    }
    Ok(ExitCode::from(batch.exit_code()))
}
