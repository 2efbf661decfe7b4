//! The command line (DESIGN.md contract). Messages are Chinese; errors go to
//! stderr and name the file. Exit codes: 0 fine, 1 error findings, 2 a file
//! could not be read (or the command could not be carried out).

use crate::check::{Finding, Severity, check};
use crate::report::Report;
use crate::{draft, export, import, year};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "nianbao",
    version,
    about = "政府信息公开工作年度报告编写工具（国办公开办函〔2021〕30号格式）"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// 在图形界面中打开的草稿文件
    pub file: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 新建一份空白草稿
    New {
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
    /// 检查草稿或已发布的报告（.txt/.html）
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 以 JSON 数组输出检查结果
        #[arg(long)]
        json: bool,
    },
    /// 导出为 HTML、HTML 片段、文本或 JSON
    Export {
        file: PathBuf,
        #[arg(long = "to", value_enum)]
        to: Format,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// 将已发布的报告（文本或网页）导入为草稿
    Import {
        published: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// 以上年报告为基础新建本年草稿
    NewYear {
        last: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// 汇总多个单位的报告
    Merge {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 应报单位名单（每行一个），用于列出缺报单位
        #[arg(long)]
        units: Option<PathBuf>,
        /// 将各单位主要数据汇总表另存为 CSV
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long)]
        force: bool,
    },
    /// 与上年报告比较主要数据
    Compare { this: PathBuf, last: PathBuf },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Html,
    Fragment,
    Text,
    Json,
}

/// A report read from a draft or a published file, with import findings.
pub struct Loaded {
    pub report: Report,
    pub import_findings: Vec<Finding>,
    pub summary: Option<import::Summary>,
}

/// Is this path a published report rather than a draft?
pub fn is_published(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "txt" | "html" | "htm" | "shtml" | "xhtml" | "text"
    )
}

/// Import a published report from a file. Errors name the file.
pub fn import_file(path: &Path) -> Result<import::Imported, String> {
    let bytes = std::fs::read(path).map_err(|err| {
        draft::DraftError::Io {
            path: path.into(),
            err,
        }
        .to_string()
    })?;
    import::import_bytes(&bytes).map_err(|e| format!("{}：{e}", path.display()))
}

/// Read a draft or import a published report. Errors are Chinese messages naming the file.
pub fn load_any(path: &Path) -> Result<Loaded, String> {
    if is_published(path) {
        let imp = import_file(path)?;
        Ok(Loaded {
            report: imp.report,
            import_findings: imp.findings,
            summary: Some(imp.summary),
        })
    } else {
        let report = draft::load(path).map_err(|e| e.to_string())?;
        Ok(Loaded {
            report,
            import_findings: Vec::new(),
            summary: None,
        })
    }
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

fn write_out(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(p) => draft::write_atomic(p, text.as_bytes()).map_err(|e| e.to_string()),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
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
            let r = Report::new(agency.as_deref().unwrap_or(""), year);
            save(&r, &output)?;
            println!("已新建 {year} 年度草稿：{}", output.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { files, json } => {
            let mut all = Vec::new();
            let mut unreadable = false;
            let mut errors = false;
            for path in &files {
                match load_any(path) {
                    Ok(l) => {
                        let mut fs = l.import_findings;
                        fs.extend(check(&l.report));
                        fs.sort_by_key(|f| f.severity);
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
        Command::Export { file, to, output } => {
            let l = load_any(&file)?;
            let r = &l.report;
            let text = match to {
                Format::Html => export::export_html(r),
                Format::Fragment => export::export_fragment(r),
                Format::Text => export::export_text(r),
                Format::Json => export::export_json(r) + "\n",
            };
            write_out(output.as_deref(), &text)?;
            if let Some(o) = output {
                eprintln!("已导出：{}", o.display());
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
            let r = year::new_year(&l.report);
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
        } => {
            refuse_overwrite(&output, force)?;
            let mut loaded = Vec::with_capacity(files.len());
            for (f, l) in files.iter().zip(year::par_map(&files, |f| load_any(f))) {
                let l = l?;
                loaded.push(year::Unit {
                    source: f.display().to_string(),
                    report: l.report,
                    import_findings: l.import_findings,
                });
            }
            let expected = match &units {
                Some(p) => Some(
                    std::fs::read_to_string(p)
                        .map_err(|e| {
                            draft::DraftError::Io {
                                path: p.clone(),
                                err: e,
                            }
                            .to_string()
                        })?
                        .lines()
                        .map(|l| l.trim().to_string())
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>(),
                ),
                None => None,
            };
            let m = year::merge(&loaded, expected.as_deref()).map_err(|e| e.to_string())?;
            print!("{}", year::summary_table(&m));
            print_findings("汇总", &m.findings);
            if let Some(c) = csv {
                draft::write_atomic(&c, year::summary_csv(&m).as_bytes())
                    .map_err(|e| e.to_string())?;
                println!("已写出汇总表 CSV：{}", c.display());
            }
            save(&m.report, &output)?;
            println!(
                "已汇总 {} 个单位，保存为：{}",
                m.units.len(),
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
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
