//! Draft files (`.nianbao`): RON with a format version, saved atomically.
//!
//! A draft that cannot be read is never touched; errors name the line and
//! column in Chinese. The previous file is kept as `NAME.nianbao.bak`.

use crate::report::Report;
use crate::text::clip;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The draft format this build writes. Bump it when a change is not
/// backward-readable by older builds.
pub const FORMAT_VERSION: u32 = 1;

pub const EXTENSION: &str = "nianbao";

#[derive(Debug)]
pub enum DraftError {
    Io {
        path: PathBuf,
        err: std::io::Error,
    },
    Syntax {
        path: PathBuf,
        line: usize,
        col: usize,
        detail: String,
    },
    TooNew {
        path: PathBuf,
        version: u32,
    },
    Empty {
        path: PathBuf,
    },
    /// A year no report can have (see [`crate::report::YEARS`]).
    BadYear {
        path: PathBuf,
        problem: String,
    },
}

/// RON's parser errors in plain Chinese, quoting at most a few characters.
fn ron_reason(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "文件在中途结束".into(),
        E::ExpectedComma => "这里缺少逗号".into(),
        E::ExpectedString | E::ExpectedStringEnd => "这里应为带引号的文字".into(),
        E::ExpectedInteger | E::IntegerOutOfBounds | E::InvalidIntegerDigit { .. } => {
            "这里应为整数（或数字超出范围）".into()
        }
        E::ExpectedMap | E::ExpectedMapColon | E::ExpectedMapEnd => "表格数据的格式不对".into(),
        E::ExpectedArray | E::ExpectedArrayEnd => "列表的格式不对".into(),
        E::ExpectedStructLike | E::ExpectedStructLikeEnd | E::ExpectedNamedStructLike(_) => {
            "括号不匹配或缺少括号".into()
        }
        E::ExpectedOption | E::ExpectedOptionEnd => "应为 Some(…) 或 None".into(),
        E::ExpectedIdentifier | E::InvalidIdentifier(_) | E::SuggestRawIdentifier(_) => {
            "这里应为字段名".into()
        }
        E::UnexpectedChar(c) => format!("出现了意外的字符“{}”", clip(&c.to_string())),
        E::TrailingCharacters => "文件末尾有多余的内容".into(),
        E::InvalidEscape(_) => "文字中的转义符不正确".into(),
        E::UnclosedBlockComment | E::UnclosedLineComment => "注释没有结束".into(),
        E::ExceededRecursionLimit => "嵌套层数过多".into(),
        E::Utf8Error(_) => "不是有效的 UTF-8 文字".into(),
        E::NoSuchEnumVariant { found, .. } => format!("不认识的取值“{}”", clip(found)),
        E::NoSuchStructField { found, .. } => format!("不认识的字段“{}”", clip(found)),
        E::MissingStructField { field, .. } => format!("缺少字段“{}”", clip(field)),
        E::DuplicateStructField { field, .. } => format!("字段“{}”重复", clip(field)),
        E::InvalidValueForType { found, .. } => format!("取值“{}”的类型不对", clip(found)),
        E::Message(m) => format!("内容不正确（{}）", clip(m)),
        _ => "格式不正确".into(),
    }
}

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DraftError::Io { path, err } => {
                let folder_missing = path
                    .parent()
                    .is_some_and(|p| !p.as_os_str().is_empty() && !p.exists());
                let what = match err.kind() {
                    std::io::ErrorKind::NotFound if folder_missing => format!(
                        "文件夹“{}”不存在",
                        path.parent()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default()
                    ),
                    std::io::ErrorKind::NotFound => "文件不存在".to_string(),
                    std::io::ErrorKind::PermissionDenied => "没有读写权限".to_string(),
                    std::io::ErrorKind::IsADirectory => "这是一个文件夹，不是文件".to_string(),
                    std::io::ErrorKind::InvalidData => {
                        "不是 UTF-8 文本，可能不是草稿文件".to_string()
                    }
                    _ => format!("读写失败（{err}）"),
                };
                write!(f, "{}：{what}", path.display())
            }
            DraftError::Syntax {
                path,
                line,
                col,
                detail,
            } => write!(
                f,
                "{}：第 {line} 行第 {col} 列无法读取，文件可能已损坏或不完整（{detail}）。原文件未做任何改动",
                path.display()
            ),
            DraftError::TooNew { path, version } => write!(
                f,
                "{}：这是由更新版本的 nianbao 保存的草稿（格式版本 {version}，本程序支持到 {FORMAT_VERSION}），请升级 nianbao 后再打开。原文件未做任何改动",
                path.display()
            ),
            DraftError::Empty { path } => {
                write!(f, "{}：文件是空的，不是有效的草稿", path.display())
            }
            DraftError::BadYear { path, problem } => write!(
                f,
                "{}：{problem}，无法打开。原文件未做任何改动",
                path.display()
            ),
        }
    }
}

impl std::error::Error for DraftError {}

#[derive(Serialize)]
struct DraftOut<'a> {
    version: u32,
    report: &'a Report,
}

#[derive(Deserialize)]
struct DraftIn {
    #[serde(default)]
    report: Report,
}

#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

/// Serialise a report as draft text.
pub fn to_string(report: &Report) -> String {
    let cfg = ron::ser::PrettyConfig::new()
        .depth_limit(4)
        .struct_names(false);
    ron::ser::to_string_pretty(
        &DraftOut {
            version: FORMAT_VERSION,
            report,
        },
        cfg,
    )
    .expect("a report always serialises")
}

/// Parse draft text. `path` is only used in messages.
pub fn from_str(text: &str, path: &Path) -> Result<Report, DraftError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(DraftError::Empty {
            path: path.to_path_buf(),
        });
    }
    let syntax = |e: ron::error::SpannedError| DraftError::Syntax {
        path: path.to_path_buf(),
        line: e.span.start.line,
        col: e.span.start.col,
        detail: ron_reason(&e.code),
    };
    let probe: VersionProbe = ron::from_str(text).map_err(syntax)?;
    if probe.version > FORMAT_VERSION {
        return Err(DraftError::TooNew {
            path: path.to_path_buf(),
            version: probe.version,
        });
    }
    let d: DraftIn = ron::from_str(text).map_err(syntax)?;
    let years =
        std::iter::once(d.report.meta.year).chain(d.report.previous.as_ref().map(|p| p.year));
    for y in years {
        if y != 0
            && let Some(problem) = crate::report::year_problem(y)
        {
            return Err(DraftError::BadYear {
                path: path.to_path_buf(),
                problem,
            });
        }
    }
    Ok(d.report)
}

/// Read a draft from disk. The file is only read.
pub fn load(path: &Path) -> Result<Report, DraftError> {
    let bytes = std::fs::read(path).map_err(|err| DraftError::Io {
        path: path.to_path_buf(),
        err,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| DraftError::Io {
        path: path.to_path_buf(),
        err: std::io::Error::from(std::io::ErrorKind::InvalidData),
    })?;
    from_str(&text, path)
}

/// The backup kept beside a draft: `NAME.nianbao.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// Save atomically: write a temp file in the same folder, fsync, keep the
/// old file as `.bak`, then rename over the target. A crash at any moment
/// leaves either the old or the new complete file.
pub fn save(report: &Report, path: &Path) -> Result<(), DraftError> {
    write_atomic(path, to_string(report).as_bytes())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

/// Atomic replace of any file (also used by exports).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DraftError> {
    let io = |err| DraftError::Io {
        path: path.to_path_buf(),
        err,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".nianbao-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    // Keep the permissions of the file being replaced; a new file is
    // readable by others (0644) like any file an editor writes.
    if let Some(perms) = std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions())
        .or_else(default_permissions)
    {
        tmp.as_file().set_permissions(perms).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    if path.exists() {
        // Copy, not rename: the target must exist at every moment. The
        // backup itself is replaced atomically too, so it is never partial.
        let mut bak = tempfile::Builder::new()
            .prefix(".nianbao-")
            .suffix(".bak.tmp")
            .tempfile_in(dir)
            .map_err(io)?;
        std::io::copy(
            &mut std::fs::File::open(path).map_err(io)?,
            bak.as_file_mut(),
        )
        .map_err(io)?;
        // The backup is the same document: it keeps the draft's permissions.
        if let Ok(m) = std::fs::metadata(path) {
            bak.as_file().set_permissions(m.permissions()).map_err(io)?;
        }
        bak.as_file().sync_all().map_err(io)?;
        bak.persist(backup_path(path)).map_err(|e| io(e.error))?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::Cell;
    use crate::sample::filled_report;
    use crate::schema::TableId;

    #[test]
    fn round_trip_keeps_everything() {
        let mut r = filled_report("罗庄区民政局", 2023, 3);
        r.tables.set_cell(
            TableId::Requests,
            "new",
            "research",
            Cell::Invalid("十 二".into()),
        );
        r.tables
            .set_cell(TableId::Requests, "new", "commercial", Cell::Blank);
        r.narrative.problems = "第一行\n\n第三行 \"引号\" \\ 反斜杠".into();
        let text = to_string(&r);
        assert!(text.contains("version: 1"));
        assert!(text.contains("\"requests.new.natural_person\""));
        assert_eq!(from_str(&text, Path::new("x")).unwrap(), r);
    }

    #[test]
    fn save_keeps_a_backup_and_load_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.nianbao");
        let r1 = filled_report("甲", 2023, 1);
        let r2 = filled_report("乙", 2023, 2);
        save(&r1, &p).unwrap();
        assert!(!backup_path(&p).exists());
        save(&r2, &p).unwrap();
        assert_eq!(load(&p).unwrap(), r2);
        assert_eq!(load(&backup_path(&p)).unwrap(), r1);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn truncated_and_corrupt_files_name_line_and_column() {
        let text = to_string(&filled_report("甲", 2023, 1));
        let cut = &text[..text.len() / 2];
        let e = from_str(cut, Path::new("报告.nianbao")).unwrap_err();
        let msg = e.to_string();
        assert!(
            matches!(e, DraftError::Syntax { line, .. } if line > 1),
            "{msg}"
        );
        assert!(
            msg.contains("报告.nianbao：第 ")
                && msg.contains("行第 ")
                && msg.contains("损坏或不完整"),
            "{msg}"
        );
        let e = from_str("(version: 1, report: (meta: (agency: 5)))", Path::new("x")).unwrap_err();
        assert!(matches!(e, DraftError::Syntax { line: 1, .. }), "{e}");
        assert!(matches!(
            from_str("  \n", Path::new("x")),
            Err(DraftError::Empty { .. })
        ));
    }

    #[test]
    fn huge_corrupt_words_give_a_short_chinese_message() {
        let word = "x".repeat(2_000_000);
        let e = from_str(&word, Path::new("坏.nianbao")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.chars().count() < 200, "{} chars", msg.chars().count());
        assert!(
            msg.contains("坏.nianbao") && msg.contains("第 1 行"),
            "{msg}"
        );
        let e = from_str(
            &format!("(version: 1, report: (meta: (agency: {word})))"),
            Path::new("x"),
        )
        .unwrap_err();
        assert!(e.to_string().chars().count() < 200);
        assert!(!e.to_string().contains("Expected"), "{e}");
    }

    #[test]
    fn stored_values_are_validated_on_load() {
        let text = r#"(version: 1, report: (tables: {
            "active.fees_wan": Amount("-5"),
            "requests.new.natural_person": Count(99999999999999),
            "requests.new.commercial": Amount("2"),
            "active.licensing": Count(3)},
            previous: Some((year: 2024, tables: {"active.fees_wan": Amount("79228162514264337593543950335")}))))"#;
        let r = from_str(text, Path::new("x")).unwrap();
        assert_eq!(
            r.tables.cell(TableId::Active, "fees_wan", ""),
            &Cell::Invalid("-5".into())
        );
        assert!(
            r.tables
                .cell(TableId::Requests, "new", "natural_person")
                .is_invalid()
        );
        assert_eq!(
            r.tables.cell(TableId::Requests, "new", "commercial"),
            &Cell::Count(2)
        );
        assert_eq!(
            r.tables.cell(TableId::Active, "licensing", ""),
            &Cell::Count(3)
        );
        let prev = r.previous.as_ref().unwrap();
        assert!(
            prev.tables
                .cell(TableId::Active, "fees_wan", "")
                .is_invalid()
        );
        // and check() reports each of them as an error
        let errs: Vec<_> = crate::check::check(&r)
            .into_iter()
            .filter(|f| f.severity == crate::check::Severity::Error)
            .flat_map(|f| f.cells)
            .collect();
        assert!(errs.iter().any(|c| c == "active.fees_wan"), "{errs:?}");
        assert!(
            errs.iter().any(|c| c == "requests.new.natural_person"),
            "{errs:?}"
        );
    }

    #[test]
    fn implausible_years_are_refused() {
        for y in ["2147483647", "-2147483648", "1999", "2101"] {
            let text = format!("(version: 1, report: (meta: (year: {y})))");
            let e = from_str(&text, Path::new("年.nianbao")).unwrap_err();
            assert!(matches!(e, DraftError::BadYear { .. }), "{y}: {e}");
            assert!(e.to_string().contains("不在 2008—2100"), "{e}");
        }
        let prev = "(version: 1, report: (meta: (year: 2025), previous: Some((year: 99999))))";
        assert!(matches!(
            from_str(prev, Path::new("x")),
            Err(DraftError::BadYear { .. })
        ));
        assert!(from_str("(version: 1, report: (meta: (year: 0)))", Path::new("x")).is_ok());
    }

    #[test]
    fn a_missing_folder_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("没有这个文件夹").join("a.nianbao");
        let msg = save(&Report::default(), &p).unwrap_err().to_string();
        assert!(msg.contains("文件夹") && msg.contains("不存在"), "{msg}");
        let msg = load(&p).unwrap_err().to_string();
        assert!(msg.contains("文件夹") && msg.contains("不存在"), "{msg}");
        let msg = load(&dir.path().join("无.nianbao"))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("文件不存在"), "{msg}");
    }

    #[cfg(unix)]
    #[test]
    fn the_backup_keeps_the_draft_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.nianbao");
        save(&Report::default(), &p).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        save(&Report::default(), &p).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&backup_path(&p)), 0o640);
        assert_eq!(mode(&p), 0o640);
    }

    #[test]
    fn newer_version_is_refused() {
        let text = to_string(&filled_report("甲", 2023, 1)).replacen("version: 1", "version: 7", 1);
        let e = from_str(&text, Path::new("新.nianbao")).unwrap_err();
        assert!(matches!(e, DraftError::TooNew { version: 7, .. }));
        assert!(e.to_string().contains("更新版本"));
    }

    #[test]
    fn older_files_with_missing_and_unknown_fields_load() {
        let text = r#"(version: 1, report: (meta: (agency: "旧局", year: 2021, fax: "x"),
            tables: {"requests.new.natural_person": Count(3), "requests.gone.row": Count(1)}, extra: 5))"#;
        let r = from_str(text, Path::new("x")).unwrap();
        assert_eq!(r.meta.agency, "旧局");
        assert_eq!(
            r.tables.cell(TableId::Requests, "new", "natural_person"),
            &Cell::Count(3)
        );
        assert_eq!(r.narrative.overview_subs.len(), 5);
    }

    #[test]
    fn a_failed_load_leaves_the_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.nianbao");
        std::fs::write(&p, b"(version: 1, report: (meta: (").unwrap();
        assert!(load(&p).is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"(version: 1, report: (meta: (");
        std::fs::write(&p, [0xff, 0xfe, 0x00, 0x81]).unwrap();
        assert!(load(&p).unwrap_err().to_string().contains("不是 UTF-8"));
    }

    proptest::proptest! {
        #[test]
        fn any_report_survives_save_and_load(
            seed in 0u64..1000,
            texts in proptest::collection::vec("\\PC{0,8}", 12),
            agency in "\\PC{0,20}",
        ) {
            let mut r = filled_report(&agency, 2023, seed);
            for (k, &f) in crate::schema::leaves().iter().enumerate().step_by(13) {
                let t = &texts[k % texts.len()];
                r.tables.set(f, crate::cell::parse_cell(t, crate::schema::field(f).kind));
            }
            r.narrative.other = texts.concat();
            let back = from_str(&to_string(&r), Path::new("x")).unwrap();
            proptest::prop_assert_eq!(back, r);
        }
    }
}
