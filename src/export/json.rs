//! The JSON export of DESIGN.md: every stable id, derived totals included,
//! `null` for a blank, `{"invalid": "…"}` for invalid text, fees as strings.

use crate::report::{Report, Value};
use crate::schema::{self, FieldKind, TableId};
use serde_json::{Map, Value as Json, json};

fn cell_json(value: Value, kind: FieldKind) -> Json {
    match value {
        Value::Blank => Json::Null,
        Value::Invalid(s) => json!({ "invalid": s }),
        Value::Unknown => json!({ "unknown": "分项中有无效内容，无法计算" }),
        Value::Sum { value, .. } => match kind {
            FieldKind::Amount => Json::String(value.to_string()),
            FieldKind::Count => u64::try_from(value).map(Json::from).unwrap_or(Json::Null),
        },
    }
}

/// The three tables as nested objects keyed by stable ids.
pub fn tables_json(tables: &crate::report::Tables) -> Map<String, Json> {
    let mut out = Map::new();
    for table in TableId::ALL {
        out.insert(table.id().into(), Json::Object(Map::new()));
    }
    for (i, f) in schema::fields().iter().enumerate() {
        let v = cell_json(tables.value(i), f.kind);
        let Some(Json::Object(t)) = out.get_mut(f.table.id()) else {
            unreachable!()
        };
        if f.col.is_empty() {
            t.insert(f.row.into(), v);
        } else {
            let row = t.entry(f.row).or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(row) = row {
                row.insert(f.col.into(), v);
            }
        }
    }
    out
}

pub fn to_value(r: &Report) -> Json {
    let mut root = Map::new();
    root.insert(
        "meta".into(),
        serde_json::to_value(&r.meta).expect("meta serialises"),
    );
    for (k, v) in tables_json(&r.tables) {
        root.insert(k, v);
    }
    root.insert(
        "narrative".into(),
        serde_json::to_value(&r.narrative).expect("narrative serialises"),
    );
    if let Some(p) = &r.previous {
        root.insert(
            "previous".into(),
            json!({ "year": p.year, "tables": Json::Object(tables_json(&p.tables)) }),
        );
    }
    Json::Object(root)
}

pub fn export_json(r: &Report) -> String {
    serde_json::to_string_pretty(&to_value(r)).expect("json serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::Cell;

    #[test]
    fn contract_shape() {
        let mut r = crate::sample::filled_report("某局", 2023, 5);
        r.tables.set_cell(
            TableId::Active,
            "fees_wan",
            "",
            Cell::Amount("5949.088667".parse().unwrap()),
        );
        r.tables.set_cell(
            TableId::Requests,
            "new",
            "research",
            Cell::Invalid("十".into()),
        );
        r.tables
            .set_cell(TableId::Requests, "new", "commercial", Cell::Blank);
        let v = to_value(&r);
        assert_eq!(v["meta"]["agency"], "某局");
        assert_eq!(v["meta"]["year"], 2023);
        assert_eq!(v["active"]["fees_wan"], "5949.088667");
        assert!(v["active"]["regulations"]["issued"].is_u64());
        assert_eq!(v["requests"]["new"]["research"], json!({"invalid": "十"}));
        assert_eq!(v["requests"]["new"]["commercial"], Json::Null);
        assert!(
            v["requests"]["new"]["total"].is_object(),
            "unknown total because of invalid part"
        );
        assert_eq!(v["requests"].as_object().unwrap().len(), 25);
        for row in v["requests"].as_object().unwrap().values() {
            assert_eq!(row.as_object().unwrap().len(), 7);
        }
        let review = &v["appeals"]["review"];
        let sum: u64 = ["upheld", "corrected", "other", "pending"]
            .iter()
            .map(|k| review[k].as_u64().unwrap())
            .sum();
        assert_eq!(review["total"].as_u64().unwrap(), sum);
        assert!(v["narrative"]["problems"].is_string());
    }
}
