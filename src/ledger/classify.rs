//! One ledger row → its 表三 column and result row, from all the cells that
//! speak about it together: an applicant's type and name, a result with its
//! reason and remarks. The words are data ([`super::keywords`]); what a
//! careful clerk could not decide either is returned as unclear, with why.

use super::Memory;
use super::keywords;
use crate::schema::{self, REQUEST_COLUMNS};
use crate::text::norm;

fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

fn column(id: &str) -> Option<&'static str> {
    REQUEST_COLUMNS.iter().find(|c| c.id == id).map(|c| c.id)
}

/// A type cell that names one column outright.
fn explicit_type(t: &str) -> Option<&'static str> {
    keywords::APPLICANT_TYPES
        .iter()
        .find(|(_, words)| words.contains(&t))
        .map(|(id, _)| *id)
}

/// Is this a person's name, also masked: 张三, 欧阳娜娜, 阿卜杜·热合曼,
/// 张**, 王女士, 李先生, 张某, 丁*?
pub fn personal_name(t: &str) -> bool {
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut chars: Vec<char> = t.chars().collect();
    // Drop a trailing masked part or polite form.
    for suffix in ["女士", "先生", "同志", "老师", "某某", "某"] {
        let s: Vec<char> = suffix.chars().collect();
        if chars.len() > s.len() && chars.ends_with(&s) {
            chars.truncate(chars.len() - s.len());
            return !chars.is_empty() && chars.len() <= 2 && chars.iter().all(|c| han(*c));
        }
    }
    let stars = chars
        .iter()
        .rev()
        .take_while(|c| matches!(c, '*' | '＊' | 'x' | 'X' | '×'))
        .count();
    if stars > 0 {
        let rest = &chars[..chars.len() - stars];
        return !rest.is_empty() && rest.len() <= 2 && rest.iter().all(|c| han(*c));
    }
    let letters = chars.iter().filter(|c| han(**c)).count();
    chars.iter().all(|c| han(*c) || *c == '·') && (2..=4).contains(&letters)
        || chars.contains(&'·') && letters <= 10 && chars.iter().all(|c| han(*c) || *c == '·')
}

/// The column a name points to, by the name rules in order.
fn by_name(name: &str) -> Option<&'static str> {
    keywords::NAME_RULES
        .iter()
        .find(|(_, words)| contains_any(name, words))
        .map(|(id, _)| *id)
}

/// The 表三 column of a request from its applicant cells: the type, if it
/// names one column; otherwise the name, by the name rules; otherwise a
/// personal name is a 自然人. `Err` says why a careful clerk would ask.
pub fn applicant(kind: &str, name: &str, memory: &Memory) -> Result<&'static str, String> {
    let (t, n) = (norm(kind), strip_note(&norm(name)));
    if t.is_empty() && n.is_empty() {
        return Err("没有申请人".into());
    }
    if let Some(c) = memory
        .applicants
        .get(&format!("{t}{n}"))
        .and_then(|c| column(c))
    {
        return Ok(c);
    }
    if let Some(c) = explicit_type(&t) {
        // A type that says 自然人 over a name that is plainly a company is
        // a contradiction a clerk would ask about.
        return match (c, by_name(&n)) {
            ("natural_person", Some(org)) if org != "natural_person" && !personal_name(&n) => {
                Err(format!("类型为“{kind}”，名称却像单位（{name}）"))
            }
            _ => Ok(c),
        };
    }
    let coarse = keywords::COARSE_TYPES.contains(&t.as_str());
    // A type column with words the tables do not know: the name may still tell.
    if let Some(c) = explicit_type(&n) {
        return Ok(c);
    }
    if let Some(c) = by_name(&n) {
        return Ok(c);
    }
    // norm drops the · of a name such as 阿卜杜·热合曼: look at it as written too.
    if personal_name(&n) || personal_name(name.trim()) {
        return if coarse {
            Err(format!("类型为“{kind}”，名称却像个人（{name}）"))
        } else {
            Ok("natural_person")
        };
    }
    if coarse && !n.is_empty() {
        // An organisation with no kind in its name: 其他.
        return Ok("other_org");
    }
    Err(if n.is_empty() {
        format!("只有类型“{kind}”，无法判断属于哪一类")
    } else {
        "无法判断申请人类型".into()
    })
}

/// A remark in brackets after a name ("张三（代理人李四）") says nothing
/// about who asked.
fn strip_note(n: &str) -> String {
    match n.find('(') {
        Some(i) if i > 0 => n[..i].to_string(),
        _ => n.to_string(),
    }
}

fn groups_of(row: &str) -> &'static [&'static str] {
    schema::REQUEST_ROWS
        .iter()
        .find(|r| r.id == row)
        .map_or(&[], |r| r.groups)
}

/// What a result cell says.
#[derive(Debug, PartialEq, Eq)]
pub enum Result_ {
    /// The request's result row.
    Row(&'static str),
    /// Not decided yet (办理中, 待定).
    Pending,
    /// Nothing a careful clerk could decide from; why.
    Unclear(String),
}

/// The result row of a request from its 处理结果, 理由 and 备注 cells
/// together. A group named in the result (不予公开) takes its row from the
/// reason or the remarks; a group with no reason anywhere is unclear.
pub fn result(result: &str, reason: &str, remarks: &str, memory: &Memory) -> Result_ {
    let r = norm(result);
    let more = format!("{}{}", norm(reason), norm(remarks));
    let text = format!("{r}{more}");
    if text.is_empty() {
        return Result_::Unclear("没有处理结果".into());
    }
    if let Some(row) = memory.results.get(&text).and_then(|row| {
        schema::REQUEST_ROWS
            .iter()
            .find(|x| x.id == row)
            .map(|x| x.id)
    }) {
        return Result_::Row(row);
    }
    if keywords::PENDING.iter().any(|w| r.contains(w)) {
        return Result_::Pending;
    }
    if r.contains("部分公开") || r.contains("部分提供") {
        return Result_::Row("partly_disclosed");
    }
    let routed = keywords::ROUTED.iter().find(|w| r.contains(*w));
    let text = routed.map_or(text.clone(), |w| text.replace(w, ""));
    let group = keywords::GROUPS.iter().find(|(_, w)| contains_any(&r, w));
    // The group's own name says nothing about the row within it.
    let text = match group {
        Some((_, words)) => words.iter().fold(text, |t, w| t.replace(w, "")),
        None => text,
    };
    let group = group.map(|g| g.0);
    let mut hits = keywords::RESULTS
        .iter()
        .filter(|(id, _)| *id != "disclosed" && *id != "partly_disclosed")
        .filter(|(id, _)| group.is_none_or(|g| groups_of(id).contains(&g)))
        .filter(|(_, w)| contains_any(&text, w))
        .map(|(id, _)| *id);
    let (first, more_hits) = (hits.next(), hits.next());
    match (group, first, more_hits) {
        (_, Some(row), None) => Result_::Row(row),
        (_, Some(a), Some(b)) => Result_::Unclear(format!(
            "理由同时像“{}”和“{}”",
            schema::short_row_label(label(a)),
            schema::short_row_label(label(b))
        )),
        // 告知通过其他途径办理 with no reason that names a row.
        (_, None, _) if routed.is_some() => Result_::Row("other_misc"),
        (Some("other"), None, _) => Result_::Row("other_misc"),
        (Some(g), None, _) => {
            Result_::Unclear(format!("只写了“{}”，没有写明理由", schema::group_label(g)))
        }
        (None, None, _) => {
            let disclosed = keywords::RESULTS
                .iter()
                .find(|(id, _)| *id == "disclosed")
                .map_or(&[][..], |(_, w)| *w);
            if contains_any(&r, disclosed) {
                Result_::Row("disclosed")
            } else {
                Result_::Unclear("无法判断属于哪一种办理结果".into())
            }
        }
    }
}

fn label(row: &str) -> &'static str {
    schema::REQUEST_ROWS
        .iter()
        .find(|r| r.id == row)
        .map_or("", |r| r.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(kind: &str, name: &str) -> Result<&'static str, String> {
        applicant(kind, name, &Memory::default())
    }

    #[test]
    fn every_name_rule_and_its_traps() {
        let cases = [
            ("", "张三", "natural_person"),
            ("", "欧阳娜娜", "natural_person"),
            ("", "王女士", "natural_person"),
            ("", "李先生", "natural_person"),
            ("", "丁**", "natural_person"),
            ("", "张某", "natural_person"),
            ("", "阿卜杜·热合曼", "natural_person"),
            ("", "张三（代理人：李四）", "natural_person"),
            ("", "江苏某某科技有限公司", "commercial"),
            ("", "某某研究院有限公司", "commercial"),
            ("", "某某大学出版社有限公司", "commercial"),
            ("", "某某商行", "commercial"),
            ("", "中国工商银行某某支行", "commercial"),
            ("", "某某大学", "research"),
            ("", "某某省农业科学院", "research"),
            ("", "某某研究所", "research"),
            ("", "某某律师事务所", "legal_service"),
            ("", "某某公证处", "legal_service"),
            ("", "某某法律服务所", "legal_service"),
            ("", "某某司法鉴定中心", "legal_service"),
            ("", "某某慈善基金会", "public_interest"),
            ("", "某某市消费者协会", "public_interest"),
            ("", "某某商会", "public_interest"),
            ("", "某某村民委员会", "other_org"),
            ("", "某某小区业主委员会", "other_org"),
            ("", "某某村股份经济合作社", "other_org"),
            ("", "某某街道办事处", "other_org"),
            ("自然人", "张三", "natural_person"),
            ("公民", "", "natural_person"),
            ("企业", "某某商贸", "commercial"),
            ("法人或其他组织", "某某科技有限公司", "commercial"),
            ("法人或其他组织", "某某律所", "legal_service"),
            ("法人或其他组织", "某某研究所", "research"),
            ("法人或其他组织", "某某小组", "other_org"),
            ("单位", "某某协会", "public_interest"),
            ("商业企业", "", "commercial"),
            ("科研机构", "", "research"),
            ("社会公益组织", "", "public_interest"),
            ("法律服务机构", "", "legal_service"),
            ("其他组织", "", "other_org"),
        ];
        for (kind, name, want) in cases {
            assert_eq!(app(kind, name), Ok(want), "{kind} / {name}");
        }
    }

    #[test]
    fn what_no_clerk_could_decide_is_asked() {
        assert!(app("", "").is_err());
        assert!(app("法人或其他组织", "").is_err());
        assert!(
            app("法人或其他组织", "张三").is_err(),
            "a person named as an organisation"
        );
        assert!(app("自然人", "某某科技有限公司").is_err());
        assert!(app("", "？？").is_err());
    }

    #[test]
    fn everyday_result_wording() {
        let m = Memory::default();
        let cases = [
            ("已提供", "", "", "disclosed"),
            ("已主动公开，告知获取途径", "", "", "disclosed"),
            ("同意公开", "", "", "disclosed"),
            ("部分公开", "", "", "partly_disclosed"),
            ("经检索没有所申请信息", "", "", "unable_not_held"),
            ("信息不存在", "", "", "unable_not_held"),
            ("非本机关职责", "", "", "unable_not_held"),
            ("非政府信息公开申请", "", "", "other_misc"),
            ("申请人撤回", "", "", "other_misc"),
            ("逾期未补正", "", "", "other_no_correction"),
            ("逾期未缴纳信息处理费", "", "", "other_unpaid_fee"),
            ("不予公开", "属于国家秘密", "", "withheld_state_secret"),
            ("不予公开", "", "涉及第三方商业秘密", "withheld_third_party"),
            ("不予处理", "", "属于信访事项", "declined_petition"),
            (
                "告知通过其他途径办理",
                "",
                "要求提供公开出版物",
                "declined_publication",
            ),
            ("告知通过其他途径办理", "", "", "other_misc"),
            ("无法提供", "本机关不掌握", "", "unable_not_held"),
        ];
        for (r, why, note, want) in cases {
            assert_eq!(
                result(r, why, note, &m),
                Result_::Row(want),
                "{r} / {why} / {note}"
            );
        }
        assert!(matches!(
            result("不予公开", "", "", &m),
            Result_::Unclear(_)
        ));
        assert!(matches!(result("待定", "", "", &m), Result_::Pending));
        assert!(matches!(
            result("已办结", "见附件", "", &m),
            Result_::Unclear(_)
        ));
    }
}
