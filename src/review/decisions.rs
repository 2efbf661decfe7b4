//! A finding the reviewer has weighed stays weighed: marked 已核实 (the unit
//! must fix it) or 不采纳 (not a problem, with the reason), kept by a
//! fingerprint of the unit, the rule and the cells, so a rerun on the
//! unit's corrected file finds the decision again wherever the finding
//! still applies. Stored as JSON (`review --decisions FILE`, and the 审核
//! window).

use crate::check::Finding;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// 已核实: the finding stands.
    #[serde(rename = "已核实")]
    Confirmed,
    /// 不采纳: not counted against the unit.
    #[serde(rename = "不采纳")]
    Dismissed,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Confirmed => "已核实",
            Kind::Dismissed => "不采纳",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub fingerprint: String,
    /// For a person reading the file.
    pub unit: String,
    pub rule: String,
    pub decision: Kind,
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Decisions {
    pub decisions: Vec<Decision>,
}

/// The fingerprint of a finding of a unit: the unit, the rule and the cells
/// (or, for a finding with no cells, its message without its numbers, which
/// change when the unit corrects them).
pub fn fingerprint(unit: &str, f: &Finding) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    crate::text::norm(unit).hash(&mut h);
    f.rule.hash(&mut h);
    let mut cells = f.cells.clone();
    cells.sort();
    if cells.is_empty() {
        f.message
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
            .hash(&mut h);
    } else {
        cells.hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

impl Decisions {
    /// Read a decisions file; a missing file is no decisions, a broken one
    /// is refused with a reason (never overwritten).
    pub fn load(path: &std::path::Path) -> Result<Decisions, String> {
        match std::fs::read(path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| {
                format!(
                    "{}：审核决定文件无法读取（{}）",
                    path.display(),
                    crate::text::clip(&e.to_string())
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Decisions::default()),
            Err(e) => Err(format!("{}：{e}", path.display())),
        }
    }

    pub fn save(&self, path: &std::path::Path) -> Result<(), String> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        crate::draft::write_atomic(path, &json).map_err(|e| e.to_string())
    }

    pub fn of(&self, unit: &str, f: &Finding) -> Option<&Decision> {
        let fp = fingerprint(unit, f);
        self.decisions.iter().find(|d| d.fingerprint == fp)
    }

    /// Record (or change) a decision.
    pub fn set(&mut self, unit: &str, f: &Finding, decision: Kind, reason: &str) {
        let fingerprint = fingerprint(unit, f);
        self.decisions.retain(|d| d.fingerprint != fingerprint);
        self.decisions.push(Decision {
            fingerprint,
            unit: unit.to_string(),
            rule: f.rule.to_string(),
            decision,
            reason: reason.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Severity;

    #[test]
    fn a_decision_survives_a_corrected_value_and_the_file_round_trips() {
        let f = Finding::new(
            "R1",
            Severity::Error,
            vec!["requests.new.natural_person".into()],
            "自然人列：相差 3".into(),
        );
        let mut d = Decisions::default();
        d.set("某某局", &f, Kind::Dismissed, "单位已说明");
        // The unit corrected a number: same rule and cells, another message.
        let mut again = f.clone();
        again.message = "自然人列：相差 1".into();
        assert_eq!(d.of("某 某 局", &again).unwrap().decision, Kind::Dismissed);
        assert!(d.of("另一局", &again).is_none());
        let other = Finding::new("R6", Severity::Warning, f.cells.clone(), "空白".into());
        assert!(d.of("某某局", &other).is_none());
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("决定.json");
        d.save(&p).unwrap();
        assert_eq!(Decisions::load(&p).unwrap(), d);
        assert_eq!(
            Decisions::load(&tmp.path().join("无.json")).unwrap(),
            Decisions::default()
        );
        std::fs::write(&p, b"{broken").unwrap();
        assert!(Decisions::load(&p).unwrap_err().contains("无法读取"));
    }
}
