//! The 30号 layout, declared once as static data.
//!
//! Everything else (grid editor, checks, exports, importer) walks this
//! declaration. The compact declarations (`ACTIVE_BLOCKS`, `REQUEST_ROWS`, …)
//! are expanded once into [`fields`] (every value cell with its stable id) and
//! [`layout`] (the merged grid, with rowspan/colspan), so no table is written
//! out twice.

use std::sync::LazyLock;

/// The three statistical tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableId {
    Active,
    Requests,
    Appeals,
}

impl TableId {
    pub const ALL: [TableId; 3] = [TableId::Active, TableId::Requests, TableId::Appeals];

    /// Stable id prefix, as used in cell ids.
    pub fn id(self) -> &'static str {
        match self {
            TableId::Active => "active",
            TableId::Requests => "requests",
            TableId::Appeals => "appeals",
        }
    }

    /// Short Chinese name used in messages ("表二" … follows the section numbers).
    pub fn short_name(self) -> &'static str {
        match self {
            TableId::Active => "主动公开表",
            TableId::Requests => "依申请公开表",
            TableId::Appeals => "复议诉讼表",
        }
    }

    /// The section this table belongs to.
    pub fn section(self) -> SectionId {
        match self {
            TableId::Active => SectionId::Active,
            TableId::Requests => SectionId::Requests,
            TableId::Appeals => SectionId::Appeals,
        }
    }
}

/// What a value cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A whole number of 件.
    Count,
    /// An exact decimal amount in 万元 (only `active.fees_wan`).
    Amount,
}

// ---------------------------------------------------------------------------
// Sections and narrative guidance
// ---------------------------------------------------------------------------

/// The six numbered sections of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionId {
    Overview,
    Active,
    Requests,
    Appeals,
    Problems,
    Other,
}

pub struct Section {
    pub id: SectionId,
    /// The numeral, e.g. "一".
    pub numeral: &'static str,
    /// The exact heading, e.g. "一、总体情况".
    pub heading: &'static str,
    /// Words by which an importer recognises a misspelt heading.
    pub keywords: &'static [&'static str],
    /// Official guidance from the notice, shown as help text.
    pub guidance: &'static str,
}

pub static SECTIONS: [Section; 6] = [
    Section {
        id: SectionId::Overview,
        numeral: "一",
        heading: "一、总体情况",
        keywords: &["总体情况", "总体", "概述"],
        guidance: "综述贯彻落实《条例》情况，包括主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面（各级人民政府还应包括工作考核、社会评议和责任追究结果）。重在聚焦主题、简明客观，篇幅原则上不超过一千字。",
    },
    Section {
        id: SectionId::Active,
        numeral: "二",
        heading: "二、主动公开政府信息情况",
        keywords: &["主动公开"],
        guidance: "填报《条例》第二十条第（一）（五）（六）（八）项规定的主动公开内容；件数统计截至12月31日；行政许可、行政处罚、行政强制包括未公开的处理决定。",
    },
    Section {
        id: SectionId::Requests,
        numeral: "三",
        heading: "三、收到和处理政府信息公开申请情况",
        keywords: &["收到和处理", "处理政府信息公开申请", "依申请"],
        guidance: "从申请人的类别和最终处理结果两个方面统计。重在数据准确、要素齐备。勾稽关系：第一项加第二项之和，等于第三项加第四项之和。",
    },
    Section {
        id: SectionId::Appeals,
        numeral: "四",
        heading: "四、政府信息公开行政复议、行政诉讼情况",
        keywords: &["行政复议", "行政诉讼"],
        guidance: "行政诉讼分未经复议直接起诉和复议后起诉两种情形统计；复议机关作共同被告的，只由原行政机关统计。",
    },
    Section {
        id: SectionId::Problems,
        numeral: "五",
        heading: "五、存在的主要问题及改进情况",
        keywords: &["存在的主要问题", "主要问题", "改进情况", "问题"],
        guidance: "重在实事求是、明确具体，反映上一年度问题的整改情况和本年度存在的主要问题及改进措施，不得出现敷衍了事甚至年年雷同现象。",
    },
    Section {
        id: SectionId::Other,
        numeral: "六",
        heading: "六、其他需要报告的事项",
        keywords: &["其他需要报告", "其他事项", "其他"],
        guidance: "报告其他需要报告的事项。各行政机关依据《政府信息公开信息处理费管理办法》收取信息处理费的情况，在此处专门报告。",
    },
];

pub fn section(id: SectionId) -> &'static Section {
    SECTIONS
        .iter()
        .find(|s| s.id == id)
        .expect("every section is declared")
}

/// The five usual sub-headings of 一、总体情况.
pub static OVERVIEW_SUBHEADINGS: [&str; 5] = [
    "（一）主动公开情况",
    "（二）依申请公开情况",
    "（三）政府信息管理情况",
    "（四）平台建设情况",
    "（五）监督保障情况",
];

/// Guidance for the preamble (not numbered in the notice).
pub const PREAMBLE_GUIDANCE: &str = "不编号的前言：说明编制依据、统计期限（本报告中所列数据的统计期限自YYYY年1月1日起至YYYY年12月31日止）、联系方式和报告电子版下载地址。";

/// Report title for an agency and year.
pub fn report_title(agency: &str, year: i32) -> String {
    format!("{agency}{year}年政府信息公开工作年度报告")
}

// ---------------------------------------------------------------------------
// Compact declarations
// ---------------------------------------------------------------------------

/// A column of a table: stable id and exact label.
pub struct ColumnDecl {
    pub id: &'static str,
    pub label: &'static str,
    pub derived: bool,
}

const fn col(id: &'static str, label: &'static str) -> ColumnDecl {
    ColumnDecl {
        id,
        label,
        derived: false,
    }
}

/// A block of 表二: a title row, a header row, and its data rows.
pub struct ActiveBlock {
    pub title: &'static str,
    /// Header label of the value column(s). One entry means a single value
    /// column spanning all three slots, with no column id.
    pub columns: &'static [ColumnDecl],
    pub rows: &'static [(&'static str, &'static str)],
    pub kind: FieldKind,
}

pub const ACTIVE_SLOTS: usize = 4;

pub static ACTIVE_BLOCKS: [ActiveBlock; 4] = [
    ActiveBlock {
        title: "第二十条第（一）项",
        columns: &[
            col("issued", "本年制发件数"),
            col("repealed", "本年废止件数"),
            col("in_force", "现行有效件数"),
        ],
        rows: &[
            ("regulations", "规章"),
            ("normative_documents", "行政规范性文件"),
        ],
        kind: FieldKind::Count,
    },
    ActiveBlock {
        title: "第二十条第（五）项",
        columns: &[col("", "本年处理决定数量")],
        rows: &[("licensing", "行政许可")],
        kind: FieldKind::Count,
    },
    ActiveBlock {
        title: "第二十条第（六）项",
        columns: &[col("", "本年处理决定数量")],
        rows: &[("penalty", "行政处罚"), ("coercion", "行政强制")],
        kind: FieldKind::Count,
    },
    ActiveBlock {
        title: "第二十条第（八）项",
        columns: &[col("", "本年收费金额（单位：万元）")],
        rows: &[("fees_wan", "行政事业性收费")],
        kind: FieldKind::Amount,
    },
];

pub const ACTIVE_INFO_LABEL: &str = "信息内容";

/// A label group of 表三 (merged label cell spanning its rows).
pub struct GroupDecl {
    pub id: &'static str,
    pub label: &'static str,
}

pub static REQUEST_GROUPS: [GroupDecl; 5] = [
    GroupDecl {
        id: "results",
        label: "三、本年度办理结果",
    },
    GroupDecl {
        id: "withheld",
        label: "（三）不予公开",
    },
    GroupDecl {
        id: "unable",
        label: "（四）无法提供",
    },
    GroupDecl {
        id: "declined",
        label: "（五）不予处理",
    },
    GroupDecl {
        id: "other",
        label: "（六）其他处理",
    },
];

/// A row of 表三: stable id, exact label, the groups it sits in (outermost
/// first), and whether it is derived.
pub struct RowDecl {
    pub id: &'static str,
    pub label: &'static str,
    pub groups: &'static [&'static str],
    pub derived: bool,
}

const fn row(id: &'static str, label: &'static str, groups: &'static [&'static str]) -> RowDecl {
    RowDecl {
        id,
        label,
        groups,
        derived: false,
    }
}

const R: &[&str] = &["results"];
const RW: &[&str] = &["results", "withheld"];
const RU: &[&str] = &["results", "unable"];
const RD: &[&str] = &["results", "declined"];
const RO: &[&str] = &["results", "other"];

pub static REQUEST_ROWS: [RowDecl; 25] = [
    row("new", "一、本年新收政府信息公开申请数量", &[]),
    row("carried_over", "二、上年结转政府信息公开申请数量", &[]),
    row("disclosed", "（一）予以公开", R),
    row(
        "partly_disclosed",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        R,
    ),
    row("withheld_state_secret", "1.属于国家秘密", RW),
    row("withheld_prohibited", "2.其他法律行政法规禁止公开", RW),
    row("withheld_security", "3.危及“三安全一稳定”", RW),
    row("withheld_third_party", "4.保护第三方合法权益", RW),
    row("withheld_internal", "5.属于三类内部事务信息", RW),
    row("withheld_process", "6.属于四类过程性信息", RW),
    row("withheld_enforcement", "7.属于行政执法案卷", RW),
    row("withheld_query", "8.属于行政查询事项", RW),
    row("unable_not_held", "1.本机关不掌握相关政府信息", RU),
    row("unable_needs_creation", "2.没有现成信息需要另行制作", RU),
    row("unable_unclear", "3.补正后申请内容仍不明确", RU),
    row("declined_petition", "1.信访举报投诉类申请", RD),
    row("declined_repeated", "2.重复申请", RD),
    row("declined_publication", "3.要求提供公开出版物", RD),
    row("declined_excessive", "4.无正当理由大量反复申请", RD),
    row(
        "declined_confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        RD,
    ),
    row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        RO,
    ),
    row(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        RO,
    ),
    row("other_misc", "3.其他", RO),
    RowDecl {
        id: "results_total",
        label: "（七）总计",
        groups: R,
        derived: true,
    },
    row("carried_forward", "四、结转下年度继续办理", &[]),
];

/// Label columns on the left of 表三.
pub const REQUEST_LABEL_COLS: usize = 3;

pub static REQUEST_COLUMNS: [ColumnDecl; 7] = [
    col("natural_person", "自然人"),
    col("commercial", "商业企业"),
    col("research", "科研机构"),
    col("public_interest", "社会公益组织"),
    col("legal_service", "法律服务机构"),
    col("other_org", "其他"),
    ColumnDecl {
        id: "total",
        label: "总计",
        derived: true,
    },
];

pub const REQUEST_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
pub const REQUEST_APPLICANT: &str = "申请人情况";
pub const REQUEST_ORG: &str = "法人或其他组织";

/// A block of 表四.
pub struct AppealBlock {
    pub id: &'static str,
    pub label: &'static str,
    /// The top-level header it sits under (行政复议 or 行政诉讼).
    pub parent: &'static str,
}

pub static APPEAL_BLOCKS: [AppealBlock; 3] = [
    AppealBlock {
        id: "review",
        label: "行政复议",
        parent: "行政复议",
    },
    AppealBlock {
        id: "suit_direct",
        label: "未经复议直接起诉",
        parent: "行政诉讼",
    },
    AppealBlock {
        id: "suit_after_review",
        label: "复议后起诉",
        parent: "行政诉讼",
    },
];

pub static APPEAL_COLUMNS: [ColumnDecl; 5] = [
    col("upheld", "结果维持"),
    col("corrected", "结果纠正"),
    col("other", "其他结果"),
    col("pending", "尚未审结"),
    ColumnDecl {
        id: "total",
        label: "总计",
        derived: true,
    },
];

// ---------------------------------------------------------------------------
// Expanded form: fields
// ---------------------------------------------------------------------------

/// Index into [`fields`].
pub type FieldIdx = usize;

/// One value cell of a table, leaf or derived.
#[derive(Debug)]
pub struct Field {
    /// Stable id, e.g. `requests.new.natural_person`.
    pub id: String,
    pub table: TableId,
    /// Row id within the table (`new`, `regulations`, `review`, `licensing`).
    pub row: &'static str,
    /// Column id within the row (`natural_person`, `issued`); empty for single-value rows.
    pub col: &'static str,
    /// Row label and column label, for messages and accessible names.
    pub row_label: &'static str,
    pub col_label: &'static str,
    pub kind: FieldKind,
    /// Position among leaf fields (the draft stores only these), if a leaf.
    pub leaf: Option<usize>,
    /// For a derived field: the leaf fields it sums.
    pub parts: Vec<FieldIdx>,
    name: String,
}

impl Field {
    pub fn is_derived(&self) -> bool {
        self.leaf.is_none()
    }

    /// "本年新收 · 自然人": row label, then column label; short enough for a
    /// tooltip. Built once with the schema, since the grid asks every frame.
    pub fn accessible_name(&self) -> &str {
        &self.name
    }
}

/// A shorter form of a row label for accessible names and messages:
/// strips the numbering and the parenthesised remark.
pub fn short_row_label(label: &str) -> String {
    let mut s = label;
    for prefix in ["一、", "二、", "三、", "四、"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
        }
    }
    if let Some(rest) = s.strip_prefix('（')
        && let Some(close) = rest.find('）')
    {
        s = &rest[close + '）'.len_utf8()..];
    }
    let s = match s.find('（') {
        Some(i) if i > 0 => &s[..i],
        _ => s,
    };
    let s = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let s = s
        .replace("政府信息公开申请数量", "")
        .replace("继续办理", "");
    s.to_string()
}

pub struct Schema {
    pub fields: Vec<Field>,
    /// Leaf fields in schema order (what a draft stores).
    pub leaves: Vec<FieldIdx>,
    pub layouts: Vec<TableLayout>,
    by_id: std::collections::HashMap<String, FieldIdx>,
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(build);

pub fn schema() -> &'static Schema {
    &SCHEMA
}

/// Every value cell, in schema (reading) order.
pub fn fields() -> &'static [Field] {
    &SCHEMA.fields
}

pub fn field(idx: FieldIdx) -> &'static Field {
    &SCHEMA.fields[idx]
}

/// Leaf fields in order; `leaves()[k]` is the field stored at leaf position k.
pub fn leaves() -> &'static [FieldIdx] {
    &SCHEMA.leaves
}

pub fn leaf_count() -> usize {
    SCHEMA.leaves.len()
}

/// Look up a field by its stable id.
pub fn field_by_id(id: &str) -> Option<FieldIdx> {
    SCHEMA.by_id.get(id).copied()
}

/// Look up a field by table, row and column id.
pub fn find(table: TableId, row: &str, col: &str) -> Option<FieldIdx> {
    let id = cell_id(table, row, col);
    field_by_id(&id)
}

/// Same as [`find`] for ids the schema is known to declare.
pub fn idx(table: TableId, row: &str, col: &str) -> FieldIdx {
    find(table, row, col).unwrap_or_else(|| panic!("schema has no {}", cell_id(table, row, col)))
}

pub fn cell_id(table: TableId, row: &str, col: &str) -> String {
    if col.is_empty() {
        format!("{}.{}", table.id(), row)
    } else {
        format!("{}.{}.{}", table.id(), row, col)
    }
}

pub fn layout(table: TableId) -> &'static TableLayout {
    &SCHEMA.layouts[table as usize]
}

/// Request row ids in order.
pub fn request_row_ids() -> impl Iterator<Item = &'static str> {
    REQUEST_ROWS.iter().map(|r| r.id)
}

/// Rows 3–23 of 表三: the results that (七)总计 sums.
pub fn request_result_rows() -> impl Iterator<Item = &'static RowDecl> {
    REQUEST_ROWS
        .iter()
        .filter(|r| r.groups.first() == Some(&"results") && !r.derived)
}

pub fn group_label(id: &str) -> &'static str {
    REQUEST_GROUPS
        .iter()
        .find(|g| g.id == id)
        .map(|g| g.label)
        .unwrap_or("")
}

// ---------------------------------------------------------------------------
// Expanded form: the merged grid
// ---------------------------------------------------------------------------

/// What a grid cell shows.
#[derive(Clone, Debug, PartialEq)]
pub enum CellContent {
    /// A header cell (column headings, block titles).
    Header(&'static str),
    /// The 勾稽 note in the corner of 表三.
    Note(&'static str),
    /// A row or group label.
    Label(&'static str),
    /// A value cell.
    Value(FieldIdx),
}

/// A cell of the merged grid, placed at (row, col) with its spans.
#[derive(Clone, Debug)]
pub struct GridCell {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub content: CellContent,
}

/// A table as the official template draws it.
#[derive(Debug)]
pub struct TableLayout {
    pub table: TableId,
    pub rows: usize,
    pub cols: usize,
    /// How many leading rows are header rows.
    pub header_rows: usize,
    /// Cells in reading order (by row, then column).
    pub cells: Vec<GridCell>,
    /// The value cells row by row, in reading order: the grid that keyboard
    /// moves and block pastes walk.
    pub value_rows: Vec<Vec<FieldIdx>>,
}

impl TableLayout {
    /// The cells that start in grid row `r`.
    pub fn row_cells(&self, r: usize) -> impl Iterator<Item = &GridCell> {
        self.cells.iter().filter(move |c| c.row == r)
    }

    /// (row, column) of a field in `value_rows`.
    pub fn value_position(&self, f: FieldIdx) -> Option<(usize, usize)> {
        self.value_rows
            .iter()
            .enumerate()
            .find_map(|(r, row)| row.iter().position(|&x| x == f).map(|c| (r, c)))
    }

    fn fill_value_rows(&mut self) {
        self.value_rows = (0..self.rows)
            .map(|r| {
                self.row_cells(r)
                    .filter_map(|c| match c.content {
                        CellContent::Value(f) => Some(f),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|row| !row.is_empty())
            .collect();
    }
}

struct Builder {
    fields: Vec<Field>,
    leaves: Vec<FieldIdx>,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        table: TableId,
        row: &'static str,
        col: &'static str,
        row_label: &'static str,
        col_label: &'static str,
        kind: FieldKind,
        derived: bool,
    ) -> FieldIdx {
        let idx = self.fields.len();
        let leaf = if derived {
            None
        } else {
            self.leaves.push(idx);
            Some(self.leaves.len() - 1)
        };
        self.fields.push(Field {
            id: cell_id(table, row, col),
            table,
            row,
            col,
            row_label,
            col_label,
            kind,
            leaf,
            parts: Vec::new(),
            name: if col_label.is_empty() {
                row_label.to_string()
            } else {
                format!("{} · {}", short_row_label(row_label), col_label)
            },
        });
        idx
    }
}

fn gc(row: usize, col: usize, rowspan: usize, colspan: usize, content: CellContent) -> GridCell {
    GridCell {
        row,
        col,
        rowspan,
        colspan,
        content,
    }
}

fn build() -> Schema {
    let mut b = Builder {
        fields: Vec::new(),
        leaves: Vec::new(),
    };
    let mut layouts = vec![
        build_active(&mut b),
        build_requests(&mut b),
        build_appeals(&mut b),
    ];
    layouts.iter_mut().for_each(TableLayout::fill_value_rows);
    let by_id = b
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.clone(), i))
        .collect();
    Schema {
        fields: b.fields,
        leaves: b.leaves,
        layouts,
        by_id,
    }
}

fn build_active(b: &mut Builder) -> TableLayout {
    let mut cells = Vec::new();
    let mut r = 0;
    for block in &ACTIVE_BLOCKS {
        cells.push(gc(r, 0, 1, ACTIVE_SLOTS, CellContent::Header(block.title)));
        r += 1;
        cells.push(gc(r, 0, 1, 1, CellContent::Header(ACTIVE_INFO_LABEL)));
        let span = (ACTIVE_SLOTS - 1) / block.columns.len();
        for (i, c) in block.columns.iter().enumerate() {
            cells.push(gc(r, 1 + i * span, 1, span, CellContent::Header(c.label)));
        }
        r += 1;
        for &(row_id, row_label) in block.rows {
            cells.push(gc(r, 0, 1, 1, CellContent::Label(row_label)));
            for (i, c) in block.columns.iter().enumerate() {
                let col_label = if c.id.is_empty() { "" } else { c.label };
                let f = b.add(
                    TableId::Active,
                    row_id,
                    c.id,
                    row_label,
                    col_label,
                    block.kind,
                    false,
                );
                cells.push(gc(r, 1 + i * span, 1, span, CellContent::Value(f)));
            }
            r += 1;
        }
    }
    TableLayout {
        table: TableId::Active,
        rows: r,
        cols: ACTIVE_SLOTS,
        header_rows: 0,
        cells,
        value_rows: Vec::new(),
    }
}

fn build_requests(b: &mut Builder) -> TableLayout {
    let lc = REQUEST_LABEL_COLS;
    let ncols = REQUEST_COLUMNS.len();
    let org_cols = REQUEST_COLUMNS.len() - 2;
    let mut cells = vec![
        gc(0, 0, 3, lc, CellContent::Note(REQUEST_NOTE)),
        gc(0, lc, 1, ncols, CellContent::Header(REQUEST_APPLICANT)),
        gc(1, lc, 2, 1, CellContent::Header(REQUEST_COLUMNS[0].label)),
        gc(1, lc + 1, 1, org_cols, CellContent::Header(REQUEST_ORG)),
        gc(
            1,
            lc + ncols - 1,
            2,
            1,
            CellContent::Header(REQUEST_COLUMNS[ncols - 1].label),
        ),
    ];
    for (i, c) in REQUEST_COLUMNS[1..ncols - 1].iter().enumerate() {
        cells.push(gc(2, lc + 1 + i, 1, 1, CellContent::Header(c.label)));
    }
    let header_rows = 3;
    let mut row_fields: Vec<Vec<FieldIdx>> = Vec::new();
    for (ri, rd) in REQUEST_ROWS.iter().enumerate() {
        let r = header_rows + ri;
        // Group cells: emitted on the first row of each group, spanning its rows.
        for (depth, g) in rd.groups.iter().enumerate() {
            let first = ri == 0 || REQUEST_ROWS[ri - 1].groups.get(depth) != Some(g);
            if first {
                let span = REQUEST_ROWS[ri..]
                    .iter()
                    .take_while(|x| x.groups.get(depth) == Some(g))
                    .count();
                cells.push(gc(r, depth, span, 1, CellContent::Label(group_label(g))));
            }
        }
        let depth = rd.groups.len();
        cells.push(gc(r, depth, 1, lc - depth, CellContent::Label(rd.label)));
        let mut fs = Vec::new();
        for (ci, c) in REQUEST_COLUMNS.iter().enumerate() {
            let derived = rd.derived || c.derived;
            let f = b.add(
                TableId::Requests,
                rd.id,
                c.id,
                rd.label,
                c.label,
                FieldKind::Count,
                derived,
            );
            cells.push(gc(r, lc + ci, 1, 1, CellContent::Value(f)));
            fs.push(f);
        }
        row_fields.push(fs);
    }
    // Derivations: each row's total sums its six applicant columns; (七)总计
    // sums rows 3–23 column by column (and its total sums all of them).
    let result_rows: Vec<usize> = REQUEST_ROWS
        .iter()
        .enumerate()
        .filter(|(_, r)| r.groups.first() == Some(&"results") && !r.derived)
        .map(|(i, _)| i)
        .collect();
    for (ri, rd) in REQUEST_ROWS.iter().enumerate() {
        for ci in 0..ncols {
            let f = row_fields[ri][ci];
            if !b.fields[f].is_derived() {
                continue;
            }
            let cols: Vec<usize> = if REQUEST_COLUMNS[ci].derived {
                (0..ncols - 1).collect()
            } else {
                vec![ci]
            };
            let rows: Vec<usize> = if rd.derived {
                result_rows.clone()
            } else {
                vec![ri]
            };
            let parts = rows.iter().flat_map(|&r| cols.iter().map(move |&c| (r, c)));
            b.fields[f].parts = parts.map(|(r, c)| row_fields[r][c]).collect();
        }
    }
    TableLayout {
        table: TableId::Requests,
        rows: header_rows + REQUEST_ROWS.len(),
        cols: lc + ncols,
        header_rows,
        cells,
        value_rows: Vec::new(),
    }
}

fn build_appeals(b: &mut Builder) -> TableLayout {
    let per = APPEAL_COLUMNS.len();
    let mut cells = Vec::new();
    // Row 0: 行政复议 (one block) and 行政诉讼 (two blocks).
    let mut c0 = 0;
    let mut i = 0;
    while i < APPEAL_BLOCKS.len() {
        let parent = APPEAL_BLOCKS[i].parent;
        let n = APPEAL_BLOCKS[i..]
            .iter()
            .take_while(|b| b.parent == parent)
            .count();
        cells.push(gc(0, c0, 1, n * per, CellContent::Header(parent)));
        c0 += n * per;
        i += n;
    }
    // Rows 1–2: a block whose label equals its parent puts its columns in
    // row 1 with rowspan 2; the others get a block label in row 1.
    for (bi, block) in APPEAL_BLOCKS.iter().enumerate() {
        let base = bi * per;
        if block.label == block.parent {
            for (ci, c) in APPEAL_COLUMNS.iter().enumerate() {
                cells.push(gc(1, base + ci, 2, 1, CellContent::Header(c.label)));
            }
        } else {
            cells.push(gc(1, base, 1, per, CellContent::Header(block.label)));
            for (ci, c) in APPEAL_COLUMNS.iter().enumerate() {
                cells.push(gc(2, base + ci, 1, 1, CellContent::Header(c.label)));
            }
        }
    }
    for (bi, block) in APPEAL_BLOCKS.iter().enumerate() {
        let mut fs = Vec::new();
        for (ci, c) in APPEAL_COLUMNS.iter().enumerate() {
            let f = b.add(
                TableId::Appeals,
                block.id,
                c.id,
                block.label,
                c.label,
                FieldKind::Count,
                c.derived,
            );
            cells.push(gc(3, bi * per + ci, 1, 1, CellContent::Value(f)));
            fs.push(f);
        }
        let total = *fs.last().expect("block has columns");
        b.fields[total].parts = fs[..fs.len() - 1].to_vec();
    }
    cells.sort_by_key(|c| (c.row, c.col));
    TableLayout {
        table: TableId::Appeals,
        rows: 4,
        cols: APPEAL_BLOCKS.len() * per,
        header_rows: 3,
        cells,
        value_rows: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolve spans into a rows×cols occupancy grid; panics on overlap.
    fn occupancy(l: &TableLayout) -> Vec<Vec<usize>> {
        let mut g = vec![vec![usize::MAX; l.cols]; l.rows];
        for (k, c) in l.cells.iter().enumerate() {
            for row in g.iter_mut().skip(c.row).take(c.rowspan) {
                for slot in row.iter_mut().skip(c.col).take(c.colspan) {
                    assert_eq!(*slot, usize::MAX, "overlap at cell {k} in {:?}", l.table);
                    *slot = k;
                }
            }
        }
        g
    }

    #[test]
    fn every_layout_tiles_its_grid_exactly() {
        for t in TableId::ALL {
            let l = layout(t);
            let g = occupancy(l);
            assert!(
                g.iter().flatten().all(|&k| k != usize::MAX),
                "{t:?} has holes"
            );
        }
    }

    #[test]
    fn requests_is_28_by_10_with_official_spans() {
        let l = layout(TableId::Requests);
        assert_eq!((l.rows, l.cols), (28, 10));
        let span = |label: &str| {
            l.cells
                .iter()
                .find(|c| matches!(c.content, CellContent::Label(x) | CellContent::Header(x) | CellContent::Note(x) if x == label))
                .map(|c| (c.rowspan, c.colspan))
                .unwrap_or_else(|| panic!("no cell {label}"))
        };
        assert_eq!(span("三、本年度办理结果"), (22, 1));
        assert_eq!(span("（三）不予公开"), (8, 1));
        assert_eq!(span("（四）无法提供"), (3, 1));
        assert_eq!(span("（五）不予处理"), (5, 1));
        assert_eq!(span("（六）其他处理"), (3, 1));
        assert_eq!(span(REQUEST_NOTE), (3, 3));
        assert_eq!(span("申请人情况"), (1, 7));
        assert_eq!(span("自然人"), (2, 1));
        assert_eq!(span("法人或其他组织"), (1, 5));
        assert_eq!(span("总计"), (2, 1));
        assert_eq!(span("一、本年新收政府信息公开申请数量"), (1, 3));
        assert_eq!(span("（一）予以公开"), (1, 2));
        assert_eq!(span("（七）总计"), (1, 2));
        assert_eq!(span("1.属于国家秘密"), (1, 1));
        assert_eq!(span("四、结转下年度继续办理"), (1, 3));
    }

    #[test]
    fn appeals_is_4_by_15() {
        let l = layout(TableId::Appeals);
        assert_eq!((l.rows, l.cols), (4, 15));
        let heads: Vec<_> = l
            .row_cells(0)
            .map(|c| (c.colspan, c.content.clone()))
            .collect();
        assert_eq!(
            heads,
            vec![
                (5, CellContent::Header("行政复议")),
                (10, CellContent::Header("行政诉讼"))
            ]
        );
        let review_cols: Vec<_> = l
            .row_cells(1)
            .filter(|c| c.col < 5)
            .map(|c| c.rowspan)
            .collect();
        assert_eq!(review_cols, vec![2; 5]);
        assert_eq!(l.row_cells(3).count(), 15);
    }

    #[test]
    fn active_has_four_blocks_and_ten_values() {
        let l = layout(TableId::Active);
        assert_eq!(l.cols, 4);
        assert_eq!(l.rows, 14);
        let values = l
            .cells
            .iter()
            .filter(|c| matches!(c.content, CellContent::Value(_)))
            .count();
        assert_eq!(values, 10);
        let fee = field(field_by_id("active.fees_wan").unwrap());
        assert_eq!(fee.kind, FieldKind::Amount);
        assert!(field_by_id("active.normative_documents.in_force").is_some());
    }

    #[test]
    fn field_counts_and_derivations() {
        assert_eq!(fields().len(), 10 + 25 * 7 + 15);
        assert_eq!(leaf_count(), 10 + 24 * 6 + 12);
        let t = field(idx(TableId::Requests, "results_total", "total"));
        assert_eq!(t.parts.len(), 21 * 6);
        let rt = field(idx(TableId::Requests, "results_total", "commercial"));
        assert_eq!(rt.parts.len(), 21);
        let nt = field(idx(TableId::Requests, "new", "total"));
        assert_eq!(nt.parts.len(), 6);
        let at = field(idx(TableId::Appeals, "suit_direct", "total"));
        assert_eq!(at.parts.len(), 4);
        for f in fields() {
            assert_eq!(f.is_derived(), !f.parts.is_empty(), "{}", f.id);
            assert!(f.parts.iter().all(|&p| !field(p).is_derived()));
        }
    }

    #[test]
    fn labels_are_exact_spec_text() {
        assert_eq!(
            REQUEST_ROWS[3].label,
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
        );
        assert_eq!(REQUEST_ROWS[6].label, "3.危及“三安全一稳定”");
        assert_eq!(REQUEST_ROWS.len(), 25);
        assert_eq!(
            REQUEST_NOTE,
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        );
        assert_eq!(
            SECTIONS[3].heading,
            "四、政府信息公开行政复议、行政诉讼情况"
        );
    }

    #[test]
    fn accessible_names_are_short() {
        let f = field(idx(TableId::Requests, "new", "natural_person"));
        assert_eq!(f.accessible_name(), "本年新收 · 自然人");
        let f = field(idx(TableId::Requests, "partly_disclosed", "total"));
        assert_eq!(f.accessible_name(), "部分公开 · 总计");
        let f = field(idx(TableId::Requests, "withheld_state_secret", "research"));
        assert_eq!(f.accessible_name(), "属于国家秘密 · 科研机构");
        let f = field(idx(TableId::Active, "licensing", ""));
        assert_eq!(f.accessible_name(), "行政许可");
        let names: std::collections::HashSet<_> = fields()
            .iter()
            .filter(|f| f.table == TableId::Requests)
            .map(|f| f.accessible_name())
            .collect();
        assert_eq!(names.len(), 25 * 7, "names must be unique within 表三");
    }
}
