//! Open any file a clerk or reviewer holds, by its kind: a draft, or a
//! published report as text, HTML, Word or PDF.
//!
//! This is the one way in for the CLI and the GUI alike (DESIGN principle 2:
//! the front ends call the core, never each other).

use crate::check::Finding;
use crate::report::Report;
use crate::{draft, import};
use std::path::{Path, PathBuf};

/// A report read from a draft or a published file, with import findings.
pub struct Loaded {
    pub report: Report,
    pub import_findings: Vec<Finding>,
    pub summary: Option<import::Summary>,
}

/// What a file is, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Draft,
    Text,
    Html,
    Docx,
    Pdf,
    /// `.doc` / `.wps`: the old binary Word and WPS formats.
    OldWord,
}

impl Kind {
    pub fn of(path: &Path) -> Kind {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            // Markdown is what PDF-to-Markdown converters write.
            "txt" | "text" | "md" | "markdown" => Kind::Text,
            "html" | "htm" | "shtml" | "xhtml" | "mht" => Kind::Html,
            "docx" | "docm" | "wpsx" => Kind::Docx,
            "pdf" => Kind::Pdf,
            "doc" | "wps" | "rtf" => Kind::OldWord,
            _ => Kind::Draft,
        }
    }

    /// A short Chinese name, for summaries and review tables.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Draft => "草稿",
            Kind::Text => "文本",
            Kind::Html => "网页",
            Kind::Docx => "Word",
            Kind::Pdf => "PDF",
            Kind::OldWord => "Word（旧格式）",
        }
    }
}

/// Extensions the file dialogs offer for published reports.
pub const PUBLISHED_EXTENSIONS: &[&str] = &[
    "txt", "md", "html", "htm", "shtml", "docx", "pdf", "doc", "wps",
];

/// Is this path a published report rather than a draft?
pub fn is_published(path: &Path) -> bool {
    Kind::of(path) != Kind::Draft
}

/// Largest file read: a published report is a few MB at most, and reading
/// a runaway file whole would take the machine's memory with it.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

fn read(path: &Path) -> Result<Vec<u8>, String> {
    let io = |err| draft::DraftError::Io {
        path: path.into(),
        err,
    };
    let meta = std::fs::metadata(path).map_err(|e| io(e).to_string())?;
    if meta.is_dir() {
        return Err(format!("{}：这是一个文件夹，不是文件", path.display()));
    }
    if meta.len() > MAX_BYTES {
        return Err(format!(
            "{}：文件过大（{} MB），不像是年度报告",
            path.display(),
            meta.len() / 1024 / 1024
        ));
    }
    std::fs::read(path).map_err(|e| io(e).to_string())
}

/// Import a published report from a file. Errors name the file.
pub fn import_file(path: &Path) -> Result<import::Imported, String> {
    let bytes = if Kind::of(path) == Kind::OldWord {
        convert_old_word(path)?
    } else {
        read(path)?
    };
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

/// `.doc`/`.wps`: let LibreOffice turn it into `.docx` in a temporary
/// folder when it is installed; otherwise tell the clerk how to do it.
fn convert_old_word(path: &Path) -> Result<Vec<u8>, String> {
    let how = "请在 WPS 或 Word 中打开该文件，选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再导入新文件";
    let Some(soffice) = find_on_path(&["soffice", "libreoffice"]) else {
        return Err(format!(
            "{}：这是旧版 Word/WPS 格式（.doc/.wps），本机没有安装 LibreOffice，无法直接读取。{how}",
            path.display()
        ));
    };
    read(path)?; // the same size and existence checks as any file
    let dir = tempfile::tempdir().map_err(|e| format!("无法创建临时文件夹：{e}"))?;
    let status = std::process::Command::new(soffice)
        .arg("--headless")
        .arg("--convert-to")
        .arg("docx:MS Word 2007 XML")
        .arg("--outdir")
        .arg(dir.path())
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("无法运行 LibreOffice：{e}。{how}"))?;
    let out = dir
        .path()
        .join(path.file_stem().unwrap_or_default())
        .with_extension("docx");
    if !status.success() || !out.exists() {
        return Err(format!(
            "{}：LibreOffice 未能转换这个文件。{how}",
            path.display()
        ));
    }
    read(&out)
}

fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        names.iter().find_map(|n| {
            let p = dir.join(n);
            let exe = dir.join(format!("{n}.exe"));
            [p, exe].into_iter().find(|p| p.is_file())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(Kind::of(Path::new("a.NIANBAO")), Kind::Draft);
        assert_eq!(Kind::of(Path::new("报告.DOCX")), Kind::Docx);
        assert_eq!(Kind::of(Path::new("x.pdf")), Kind::Pdf);
        assert_eq!(Kind::of(Path::new("x.wps")), Kind::OldWord);
        assert_eq!(Kind::of(Path::new("x.htm")), Kind::Html);
        assert_eq!(Kind::of(Path::new("转换结果.md")), Kind::Text);
        assert!(is_published(Path::new("x.txt")));
        assert!(!is_published(Path::new("x")));
    }

    #[test]
    fn a_folder_and_a_missing_file_get_chinese_messages() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("报告.docx");
        std::fs::create_dir(&sub).unwrap();
        let e = import_file(&sub).err().unwrap();
        assert!(e.contains("文件夹"), "{e}");
        let e = import_file(&dir.path().join("无.pdf")).err().unwrap();
        assert!(e.contains("不存在"), "{e}");
    }
}
