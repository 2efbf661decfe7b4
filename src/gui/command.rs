//! Every user action with a menu entry or shortcut, in one enum that carries
//! its text, tooltip and shortcuts (after rerun's `re_ui` command module).
//! UI code only enqueues commands; they are applied outside layout.

use egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    New,
    Open,
    NewYear,
    ImportPublished,
    Merge,
    Review,
    Ledger,
    Save,
    SaveAs,
    ExportHtml,
    ExportFragment,
    ExportText,
    ExportDocx,
    ExportPdf,
    Print,
    CopyFragment,
    Preview,
    Quit,
    Undo,
    Redo,
    NextPart,
    PrevPart,
    NextFinding,
    GenerateNarrative,
    Tidy,
    OpenSample,
    About,
}

const fn ctrl(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn ctrl_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}

impl Command {
    pub const ALL: [Command; 27] = [
        Command::New,
        Command::Open,
        Command::NewYear,
        Command::ImportPublished,
        Command::Merge,
        Command::Review,
        Command::Ledger,
        Command::Save,
        Command::SaveAs,
        Command::ExportHtml,
        Command::ExportFragment,
        Command::ExportText,
        Command::ExportDocx,
        Command::ExportPdf,
        Command::Print,
        Command::CopyFragment,
        Command::Preview,
        Command::Quit,
        Command::Undo,
        Command::Redo,
        Command::NextPart,
        Command::PrevPart,
        Command::NextFinding,
        Command::GenerateNarrative,
        Command::Tidy,
        Command::OpenSample,
        Command::About,
    ];

    pub fn text(self) -> &'static str {
        match self {
            Command::New => "新建",
            Command::Open => "打开…",
            Command::NewYear => "从上年报告新建…",
            Command::ImportPublished => "导入已发布的报告…",
            Command::Merge => "汇总多个报告…",
            Command::Review => "审核一批报告…",
            Command::Ledger => "从登记台账统计表三…",
            Command::Save => "保存",
            Command::SaveAs => "另存为…",
            Command::ExportHtml => "导出 HTML…",
            Command::ExportFragment => "导出 HTML 片段…",
            Command::ExportText => "导出文本…",
            Command::ExportDocx => "导出 Word…",
            Command::ExportPdf => "导出 PDF…",
            Command::Print => "打印…",
            Command::CopyFragment => "复制 HTML 片段",
            Command::Preview => "在浏览器中预览",
            Command::Quit => "退出",
            Command::Undo => "撤销",
            Command::Redo => "重做",
            Command::NextPart => "下一部分",
            Command::PrevPart => "上一部分",
            Command::NextFinding => "下一个问题",
            Command::GenerateNarrative => "生成数据段落…",
            Command::Tidy => "一键排版…",
            Command::OpenSample => "打开示例报告",
            Command::About => "关于 nianbao",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Command::New => "新建一份空白的年度报告（上一年度）",
            Command::Open => "打开已保存的草稿（.nianbao）",
            Command::NewYear => "以上年的草稿或已发布的报告为基础新建本年报告，自动填好上年结转",
            Command::ImportPublished => "把已发布的报告（Word、PDF、网页或文本）转成草稿",
            Command::Merge => "把下级单位的报告汇总成一份",
            Command::Review => {
                "一次检查几十个单位的报告（Word、PDF、网页、文本、草稿），列出需修改的和与上年重复的"
            }
            Command::Ledger => "打开依申请公开登记台账（Excel、WPS 表格或 CSV），自动统计表三",
            Command::Save => "保存草稿；原文件保留为 .bak 备份",
            Command::SaveAs => "把草稿保存到新的位置",
            Command::ExportHtml => "导出可直接发布、可打印的完整网页",
            Command::ExportFragment => "导出只含正文的 HTML，适合粘贴到网站编辑器",
            Command::ExportText => "导出纯文本，表格各列以制表符分隔",
            Command::ExportDocx => {
                "导出 Word 文档（.docx），用于审签；公文版式，表格与官方格式一致"
            }
            Command::ExportPdf => "导出 PDF，用于在网站上作为附件发布",
            Command::Print => "生成 PDF 并用系统的 PDF 阅读器打开，在那里打印",
            Command::CopyFragment => "把 HTML 片段复制到剪贴板，可直接粘贴到网站编辑器",
            Command::Preview => "生成网页并用浏览器打开",
            Command::Quit => "关闭 nianbao",
            Command::Undo => "撤销上一步修改",
            Command::Redo => "恢复撤销的修改",
            Command::NextPart => "切换到下一部分",
            Command::PrevPart => "切换到上一部分",
            Command::NextFinding => "跳到下一个错误或警告所在的单元格",
            Command::GenerateNarrative => {
                "按表格中的数字写出正文里的数据句子（收到、办结、复议诉讼、主动公开、信息处理费），与表格一致"
            }
            Command::Tidy => {
                "统一全角标点，删去汉字间的空格、段落中间的断行和多余的空行（先预览再应用）"
            }
            Command::OpenSample => "打开一份填写完整的示例报告",
            Command::About => "版本与说明",
        }
    }

    /// Shortcuts; the first is shown in the menu.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const NEW: [KeyboardShortcut; 1] = [ctrl(Key::N)];
        const OPEN: [KeyboardShortcut; 1] = [ctrl(Key::O)];
        const IMPORT: [KeyboardShortcut; 1] = [ctrl(Key::I)];
        const SAVE: [KeyboardShortcut; 1] = [ctrl(Key::S)];
        const SAVE_AS: [KeyboardShortcut; 1] = [ctrl_shift(Key::S)];
        const EXPORT: [KeyboardShortcut; 1] = [ctrl(Key::E)];
        const EXPORT_DOCX: [KeyboardShortcut; 1] = [ctrl_shift(Key::W)];
        const EXPORT_PDF: [KeyboardShortcut; 1] = [ctrl_shift(Key::P)];
        const PRINT: [KeyboardShortcut; 1] = [ctrl(Key::P)];
        const COPY_FRAG: [KeyboardShortcut; 1] = [ctrl_shift(Key::C)];
        const PREVIEW: [KeyboardShortcut; 1] = [KeyboardShortcut::new(Modifiers::NONE, Key::F5)];
        const QUIT: [KeyboardShortcut; 1] = [ctrl(Key::Q)];
        const UNDO: [KeyboardShortcut; 1] = [ctrl(Key::Z)];
        const REDO: [KeyboardShortcut; 2] = [ctrl(Key::Y), ctrl_shift(Key::Z)];
        const NEXT: [KeyboardShortcut; 1] = [ctrl(Key::PageDown)];
        const PREV: [KeyboardShortcut; 1] = [ctrl(Key::PageUp)];
        const NEXT_FINDING: [KeyboardShortcut; 1] =
            [KeyboardShortcut::new(Modifiers::NONE, Key::F8)];
        match self {
            Command::New => &NEW,
            Command::Open => &OPEN,
            Command::ImportPublished => &IMPORT,
            Command::Save => &SAVE,
            Command::SaveAs => &SAVE_AS,
            Command::ExportHtml => &EXPORT,
            Command::ExportDocx => &EXPORT_DOCX,
            Command::ExportPdf => &EXPORT_PDF,
            Command::Print => &PRINT,
            Command::CopyFragment => &COPY_FRAG,
            Command::Preview => &PREVIEW,
            Command::Quit => &QUIT,
            Command::Undo => &UNDO,
            Command::Redo => &REDO,
            Command::NextPart => &NEXT,
            Command::PrevPart => &PREV,
            Command::NextFinding => &NEXT_FINDING,
            _ => &[],
        }
    }

    /// The export format a command writes, if it is an export.
    pub fn export_format(self) -> Option<crate::export::Format> {
        use crate::export::Format;
        match self {
            Command::ExportHtml => Some(Format::Html),
            Command::ExportFragment => Some(Format::Fragment),
            Command::ExportText => Some(Format::Text),
            Command::ExportDocx => Some(Format::Docx),
            Command::ExportPdf => Some(Format::Pdf),
            _ => None,
        }
    }

    /// Undo/redo belong to a focused multi-line text field (its own undoer).
    pub fn yields_to_text_field(self) -> bool {
        matches!(self, Command::Undo | Command::Redo)
    }

    /// The commands whose shortcuts were pressed this frame, consumed.
    /// Shortcuts with more modifiers are tried first, so Ctrl+Shift+S is not
    /// taken for Ctrl+S.
    pub fn from_input(ctx: &egui::Context, text_field_focused: bool) -> Vec<Command> {
        let mut all: Vec<(Command, KeyboardShortcut)> = Command::ALL
            .iter()
            .flat_map(|&c| c.shortcuts().iter().map(move |s| (c, *s)))
            .collect();
        all.sort_by_key(|(_, s)| {
            std::cmp::Reverse(s.modifiers.shift as u8 + s.modifiers.alt as u8)
        });
        let mut out = Vec::new();
        ctx.input_mut(|i| {
            for (c, s) in all {
                if text_field_focused && c.yields_to_text_field() {
                    continue;
                }
                if i.consume_shortcut(&s) && !out.contains(&c) {
                    out.push(c);
                }
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let mut seen = std::collections::HashMap::new();
        for c in Command::ALL {
            for s in c.shortcuts() {
                let key = (
                    s.modifiers.ctrl || s.modifiers.command,
                    s.modifiers.shift,
                    s.modifiers.alt,
                    s.logical_key,
                );
                if let Some(other) = seen.insert(key, c) {
                    panic!("{c:?} and {other:?} share {s:?}");
                }
            }
        }
    }

    #[test]
    fn every_command_is_listed_once_with_text() {
        let set: std::collections::HashSet<_> = Command::ALL.iter().collect();
        assert_eq!(set.len(), Command::ALL.len());
        for c in Command::ALL {
            assert!(!c.text().is_empty() && !c.tooltip().is_empty());
        }
        assert_eq!(Command::Save.shortcuts()[0], ctrl(Key::S));
        assert_eq!(Command::Redo.shortcuts().len(), 2);
    }
}
