//! The words that classify a ledger row, kept as data beside the schema:
//! a row id of 表三 (or an applicant column) and the words that point to it.
//! Edit here to teach the counter a new phrasing; every id is checked
//! against the schema by the tests.

/// Applicant kinds: the 表三 column and the words in a ledger's 申请人 or
/// 申请人类型 cell that mean it. Checked in order; the first match wins.
pub static APPLICANTS: &[(&str, &[&str])] = &[
    ("natural_person", &["自然人", "个人", "公民", "群众"]),
    (
        "legal_service",
        &[
            "律师",
            "律所",
            "法律服务",
            "事务所",
            "公证",
            "仲裁",
            "司法鉴定",
        ],
    ),
    (
        "research",
        &[
            "科研",
            "研究",
            "大学",
            "学院",
            "学校",
            "研究院",
            "研究所",
            "实验室",
        ],
    ),
    (
        "public_interest",
        &[
            "社会公益",
            "公益",
            "协会",
            "基金会",
            "慈善",
            "志愿",
            "学会",
            "促进会",
            "商会",
        ],
    ),
    (
        "commercial",
        &[
            "商业企业",
            "企业",
            "公司",
            "集团",
            "有限",
            "股份",
            "厂",
            "合作社",
            "银行",
            "商行",
            "个体工商户",
        ],
    ),
    (
        "other_org",
        &[
            "其他组织",
            "其他",
            "委员会",
            "村委",
            "居委",
            "社区",
            "机关",
            "单位",
            "组织",
        ],
    ),
];

/// Result rows of 表三 and their words, most specific first. A ledger's
/// 处理结果 and 不予公开理由 cells are read together.
pub static RESULTS: &[(&str, &[&str])] = &[
    (
        "partly_disclosed",
        &["部分公开", "区分处理", "部分予以公开"],
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
        &["不掌握", "本机关不掌握", "信息不存在", "未制作", "未获取"],
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
    ("other_no_correction", &["逾期不补正", "未补正", "不补正"]),
    (
        "other_unpaid_fee",
        &["未按收费通知", "未缴纳费用", "逾期未缴费", "未缴费"],
    ),
    ("other_misc", &["其他处理", "撤回", "主动撤回", "终止"]),
    (
        "disclosed",
        &["予以公开", "全部公开", "已公开", "同意公开", "公开"],
    ),
];

/// Words of a 处理结果 cell that name a group of 表三 without saying which
/// row: the row then comes from the reason, or the request is unclear.
pub static GROUPS: &[(&str, &[&str])] = &[
    ("withheld", &["不予公开", "不公开"]),
    ("unable", &["无法提供"]),
    ("declined", &["不予处理"]),
    ("other", &["其他处理"]),
];
