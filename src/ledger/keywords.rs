//! The words that classify a ledger row, kept as data beside the schema:
//! a row id of 表三 (or an applicant column) and the words that point to it.
//! Edit here to teach the counter a new phrasing; every id is checked
//! against the schema by the tests, and every entry has a test case.

/// A 申请人类型 cell that names one of the six columns (or a name column
/// that holds a type instead of a name). Whole-cell matches after
/// normalising, checked before any name rule.
pub static APPLICANT_TYPES: &[(&str, &[&str])] = &[
    (
        "natural_person",
        &["自然人", "公民", "个人", "群众", "居民", "农民", "村民"],
    ),
    ("commercial", &["商业企业", "企业", "公司", "个体工商户"]),
    (
        "research",
        &["科研机构", "科研单位", "高校", "高等院校", "研究机构"],
    ),
    (
        "public_interest",
        &["社会公益组织", "公益组织", "社会组织", "社会团体"],
    ),
    ("legal_service", &["法律服务机构", "律师", "律师事务所"]),
    ("other_org", &["其他组织", "其他", "其他单位"]),
];

/// Type cells that say "an organisation" without saying which kind: the
/// name decides among the five 法人或其他组织 columns.
pub static COARSE_TYPES: &[&str] = &[
    "法人或其他组织",
    "法人及其他组织",
    "法人和其他组织",
    "法人",
    "单位",
    "组织",
    "机构",
    "非自然人",
    "法人组织",
];

/// Name rules, in the order they are tried: the first column whose words
/// a name contains. The order holds the traps: a 律师事务所 before anything
/// else, a 村民委员会 or 合作社 (其他) before the 股份 of a 股份经济合作社,
/// and a company (…研究院有限公司 is a 商业企业) before the research words.
pub static NAME_RULES: &[(&str, &[&str])] = &[
    (
        "legal_service",
        &[
            "律师事务所",
            "律所",
            "公证处",
            "法律服务所",
            "法律服务中心",
            "司法鉴定",
            "法律援助",
        ],
    ),
    (
        "other_org",
        &[
            "村民委员会",
            "居民委员会",
            "业主委员会",
            "业委会",
            "合作社",
            "村委会",
            "居委会",
        ],
    ),
    (
        "commercial",
        &[
            "有限公司",
            "有限责任公司",
            "股份公司",
            "公司",
            "集团",
            "企业",
            "厂",
            "商行",
            "商店",
            "经营部",
            "门市部",
            "个体工商户",
            "银行",
            "超市",
            "酒店",
            "宾馆",
            "工作室",
        ],
    ),
    (
        "research",
        &[
            "大学",
            "学院",
            "研究院",
            "研究所",
            "科学院",
            "研究中心",
            "实验室",
            "设计院",
        ],
    ),
    (
        "public_interest",
        &[
            "基金会",
            "协会",
            "商会",
            "学会",
            "促进会",
            "慈善",
            "公益",
            "志愿",
            "联合会",
            "研究会",
        ],
    ),
    (
        "other_org",
        &[
            "委员会",
            "小组",
            "工作组",
            "政府",
            "办事处",
            "街道",
            "社区",
            "局",
            "厅",
            "办公室",
            "中心",
            "医院",
            "学校",
            "中学",
            "小学",
            "幼儿园",
            "派出所",
            "法院",
            "检察院",
            "党委",
            "支部",
            "站",
            "所",
            "队",
            "社",
        ],
    ),
];

/// Result rows of 表三 and their words, most specific first. A ledger's
/// 处理结果, 不予公开理由 and 备注 cells are read together.
pub static RESULTS: &[(&str, &[&str])] = &[
    (
        "partly_disclosed",
        &["部分公开", "区分处理", "部分予以公开", "部分提供"],
    ),
    ("withheld_state_secret", &["国家秘密", "涉密", "保密"]),
    (
        "withheld_prohibited",
        &["法律行政法规禁止", "禁止公开", "法律法规禁止"],
    ),
    (
        "withheld_security",
        &[
            "三安全一稳定",
            "国家安全",
            "公共安全",
            "经济安全",
            "社会稳定",
        ],
    ),
    ("withheld_third_party", &["第三方", "商业秘密", "个人隐私"]),
    (
        "withheld_internal",
        &["内部事务", "人事管理", "后勤管理", "内部工作流程"],
    ),
    (
        "withheld_process",
        &["过程性", "讨论记录", "过程稿", "磋商信函", "请示报告"],
    ),
    ("withheld_enforcement", &["行政执法案卷", "执法案卷"]),
    ("withheld_query", &["行政查询", "查询事项"]),
    (
        "unable_not_held",
        &[
            "不掌握",
            "信息不存在",
            "经检索没有",
            "检索未发现",
            "没有所申请",
            "没有该信息",
            "未制作",
            "未获取",
            "非本机关职责",
            "不属于本机关",
            "非本机关",
        ],
    ),
    (
        "unable_needs_creation",
        &["另行制作", "没有现成", "需要加工", "汇总分析"],
    ),
    ("unable_unclear", &["补正后", "仍不明确", "内容不明确"]),
    ("declined_petition", &["信访", "举报", "投诉"]),
    ("declined_repeated", &["重复申请"]),
    ("declined_publication", &["公开出版物"]),
    ("declined_excessive", &["大量反复", "大量、反复"]),
    (
        "declined_confirmation",
        &["确认或重新出具", "重新出具", "要求确认"],
    ),
    (
        "other_no_correction",
        &["逾期不补正", "逾期未补正", "未补正", "不补正"],
    ),
    (
        "other_unpaid_fee",
        &[
            "未按收费通知",
            "未缴纳费用",
            "未缴纳信息处理费",
            "逾期未缴纳",
            "逾期未缴费",
            "未缴费",
        ],
    ),
    (
        "other_misc",
        &[
            "其他处理",
            "撤回",
            "终止",
            "非政府信息公开申请",
            "不属于政府信息公开申请",
            "咨询",
        ],
    ),
    (
        "disclosed",
        &[
            "予以公开",
            "全部公开",
            "已公开",
            "同意公开",
            "已提供",
            "提供信息",
            "主动公开",
            "告知获取途径",
            "告知获取方式",
            "公开",
        ],
    ),
];

/// Words of a 处理结果 cell that name a group of 表三 without saying which
/// row: the row then comes from the reason or the remarks, or the request
/// is unclear.
pub static GROUPS: &[(&str, &[&str])] = &[
    ("withheld", &["不予公开", "不公开"]),
    ("unable", &["无法提供"]),
    ("declined", &["不予处理"]),
    ("other", &["其他处理"]),
];

/// A result that sends the applicant elsewhere names no row itself: its
/// reason (often in 备注) decides, and without one it is （六）3.其他.
pub static ROUTED: &[&str] = &["告知通过其他途径办理", "通过其他途径办理", "其他途径办理"];

/// A result that is not one yet: with no answer date the request is still
/// open at year end; with one, nobody can tell what was decided.
pub static PENDING: &[&str] = &["待定", "办理中", "正在办理", "未办结", "待答复", "处理中"];

/// The words of a first cell that mark a row as no request: a total, the
/// signatures and date at the foot of a printed ledger.
pub static TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "共计"];
pub static FOOTER_WORDS: &[&str] = &[
    "填表人",
    "制表人",
    "审核人",
    "填报人",
    "填报日期",
    "制表日期",
    "统计人",
    "经办人",
    "负责人",
    "单位负责人",
    "联系电话",
    "填报单位",
];

/// Sheet names that hold totals, not requests.
pub static SUMMARY_SHEETS: &[&str] = &["汇总", "统计", "合计", "总计", "统计表"];
