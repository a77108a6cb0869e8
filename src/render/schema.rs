//! JSON Schemas of the plan's file kinds, for editors (yaml-language-server) and other
//! tools. Kept beside the loader's types and tested against them: the same fields, the same
//! required ones, unknown keys refused.

use serde_json::{Value, json};

use crate::model::{IDS, Status};

/// A kind of file in a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// `actions/NNN-slug.yaml`.
    Action,
    /// `logframe/NN-slug.yaml`.
    Logframe,
    /// `forums/<code>.yaml`.
    Forum,
    /// `partners.yaml`.
    Partners,
    /// `funding.yaml`.
    Funding,
    /// `locations.yaml`.
    Locations,
    /// `plan.yaml`.
    Plan,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Self; 7] = [
        Self::Action,
        Self::Logframe,
        Self::Forum,
        Self::Partners,
        Self::Funding,
        Self::Locations,
        Self::Plan,
    ];

    /// The kind's name on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Action => "action",
            Self::Logframe => "logframe",
            Self::Forum => "forum",
            Self::Partners => "partners",
            Self::Funding => "funding",
            Self::Locations => "locations",
            Self::Plan => "plan",
        }
    }
}

fn text() -> Value {
    json!({"type": "string"})
}

fn codes(what: &str) -> Value {
    json!({"type": "array", "items": {"type": "string"}, "description": what})
}

/// An object whose keys are exactly `properties`, `required` among them.
fn object(description: &str, properties: Value, required: &[&str]) -> Value {
    let mut object = json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "required": required,
    });
    object["properties"] = properties;
    object
}

/// A whole schema document.
fn document(kind: Kind, body: Value) -> Value {
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("iisg {} file", kind.name()),
    });
    if let (Some(schema), Value::Object(body)) = (schema.as_object_mut(), body) {
        schema.extend(body);
    }
    schema
}

/// The fields of a registry entry of `kind`, and its required ones.
fn registry(kind: Kind, key: &str, description: &str, extra: &Value) -> Value {
    let mut properties = json!({
        "code": {"type": "string", "description": "The code files use."},
        "name": {"type": "string", "description": "Full name."},
        "aliases": codes("Other ways the document or people write it."),
    });
    if let (Some(properties), Some(extra)) = (properties.as_object_mut(), extra.as_object()) {
        properties.extend(extra.clone());
    }
    let entry = object(description, properties, &["code", "name"]);
    document(
        kind,
        object(
            &format!("The registry's entries, under `{key}`."),
            json!({ key: {"type": "array", "items": entry} }),
            &[key],
        ),
    )
}

/// The schema of one kind of file.
#[must_use]
pub fn schema(kind: Kind) -> Value {
    match kind {
        Kind::Action => action(),
        Kind::Logframe => logframe(),
        Kind::Forum => forum(),
        Kind::Partners => registry(
            kind,
            "partners",
            "An organisation.",
            &json!({"kind": {"type": "string", "description": "eu-agency, donor, …"}}),
        ),
        Kind::Funding => registry(
            kind,
            "funding",
            "A source of money.",
            &json!({"provider": {"type": "string", "description": "The partner that provides it."}}),
        ),
        Kind::Locations => registry(
            kind,
            "locations",
            "A place.",
            &json!({
                "kind": {"type": "string", "description": "country, border, region, city, site, …"},
                "within": codes("Codes of the places that directly contain this one."),
                "iso": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "A country's ISO 3166-1 alpha-2 code, for IATI's recipient-country."},
            }),
        ),
        Kind::Plan => plan(),
    }
}

/// Every kind's schema, by kind name.
#[must_use]
pub fn all() -> Value {
    Value::Object(
        Kind::ALL
            .iter()
            .map(|k| (k.name().to_string(), schema(*k)))
            .collect(),
    )
}

/// An id: a whole number in the one range the loader accepts.
fn id(description: &str) -> Value {
    json!({
        "type": "integer",
        "minimum": IDS.start(),
        "maximum": IDS.end(),
        "description": description,
    })
}

fn action() -> Value {
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let funding = json!({
        "oneOf": [
            {"type": "string", "description": "A funding code: confirmed money."},
            object(
                "A funding code, possibly tentative.",
                json!({"source": text(), "tentative": {"type": "boolean"}}),
                &["source"],
            ),
        ]
    });
    document(
        Kind::Action,
        object(
            "One action of the List of Actions.",
            json!({
                "id": id("Equal to the number in the file name."),
                "title": text(),
                "lead": codes("Lead partner codes; two or more is a joint lead."),
                "involved": codes("Involved partner codes."),
                "locations": codes("Place codes; empty while undecided."),
                "scope": {"type": ["string", "null"], "description": "Who it is for, as written."},
                "timeline": {"type": "string", "description": "July 2018, By May 2019, 2019, March 2019 – June 2019, Q2 2019, After <event>, each with an optional (condition)."},
                "status": {"enum": statuses},
                "requested_by": {"type": "string", "description": "For a requested action: a place code."},
                "financing": {"type": "array", "items": funding, "description": "Funding; empty while undecided."},
                "addresses": codes("The Annex 1 needs it answers (BP-7a, …)."),
                "contributes_to": {"type": "array", "items": id("A logframe row's id."), "description": "The logframe rows whose results it contributes to."},
                "notes": text(),
            }),
            &[
                "id",
                "title",
                "lead",
                "involved",
                "locations",
                "scope",
                "timeline",
                "status",
                "financing",
            ],
        ),
    )
}

fn logframe() -> Value {
    let column = column_text;
    document(
        Kind::Logframe,
        object(
            "One row of the logical framework (Annex 2).",
            json!({
                "id": id("Equal to the number in the file name."),
                "outcome": text(),
                "addresses": codes("The Annex 1 needs it answers."),
                "objectives": {"type": "array", "items": object(
                    "An objective and its outputs.",
                    json!({"text": text(), "outputs": {"type": "array", "items": text()}}),
                    &["text"],
                )},
                "indicators": {"type": "array", "items": indicator(), "description": "Objectively verifiable indicators, numbered from 1 in this order."},
                "baseline": column("The baseline."),
                "target": column("The target."),
                "verification": column("Sources and means of verification."),
                "assumptions": column("Assumptions."),
                "notes": text(),
            }),
            &["id", "outcome", "objectives"],
        ),
    )
}

/// A number or a text.
fn value() -> Value {
    json!({"type": ["number", "string"]})
}

/// One indicator of a logframe row, with its baseline, targets and progress.
#[must_use]
pub fn indicator() -> Value {
    let measure = object(
        "A value in a year.",
        json!({"value": value(), "year": {"type": "integer"}}),
        &["value", "year"],
    );
    let progress = object(
        "A value reported for a period.",
        json!({
            "period": {"type": ["string", "integer"], "description": "A month (2019-05), a quarter (2019-Q2) or a year (2019)."},
            "value": value(),
            "source": text(),
            "date": {"type": "string", "format": "date"},
            "note": text(),
        }),
        &["period", "value"],
    );
    let number = |what: &str| json!({"type": "integer", "minimum": 1, "description": what});
    object(
        "An indicator: on the row's outcome, an objective, or an objective's output.",
        json!({
            "text": text(),
            "objective": number("The objective it measures (1 is the first); none: the outcome."),
            "output": number("The output of that objective it measures (1 is the first)."),
            "unit": {"type": "string", "description": "The unit of its values; none: qualitative."},
            "baseline": measure,
            "targets": {"type": "array", "items": measure},
            "verification": column_text("Sources and means of verification."),
            "assumptions": column_text("Assumptions."),
            "progress": {"type": "array", "items": progress},
        }),
        &["text"],
    )
}

fn column_text(what: &str) -> Value {
    json!({"type": "string", "description": what})
}

fn forum() -> Value {
    let date = json!({"type": "string", "format": "date"});
    let mut schema = document(
        Kind::Forum,
        object(
            "A regional meeting of Annex 1 and its numbered needs.",
            json!({
                "code": text(),
                "pillar": text(),
                "host": text(),
                "name": text(),
                "heading": text(),
                "place": text(),
                "start": date,
                "end": date,
                "needs": {"type": "array", "items": {"$ref": "#/$defs/need"}},
            }),
            &["code", "name", "needs"],
        ),
    );
    schema["$defs"] = json!({
        "need": object(
            "A numbered need, with sub-items.",
            json!({
                "id": text(),
                "text": text(),
                "items": {"type": "array", "items": {"$ref": "#/$defs/need"}},
            }),
            &["id", "text"],
        )
    });
    schema
}

fn plan() -> Value {
    let month = json!({"type": "string", "description": "A month: 2018-07."});
    let date = json!({"type": "string", "format": "date"});
    document(
        Kind::Plan,
        object(
            "The plan itself.",
            json!({
                "title": text(),
                "issued": date,
                "period": object("The months the plan covers.", json!({"start": month, "end": month}), &["start", "end"]),
                "as_of": date,
                "coordinator": text(),
                "iati": object("How the plan is published to IATI.", json!({
                    "reporting_org": object("The organisation that publishes the activities.", json!({
                        "ref": {"type": "string", "description": "Its IATI organisation identifier; each activity's identifier starts with it."},
                        "type": {"type": ["string", "integer"], "description": "Its IATI OrganisationType code (10 government, 40 multilateral, …)."},
                        "name": text(),
                    }), &["ref"]),
                }), &["reporting_org"]),
                "notes": text(),
            }),
            &["title", "period"],
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Action, Forum, FundingSource, LogframeRow, Need, Objective, Partner, Place, PlanInfo,
    };

    /// The fields the loader knows, from its own "unknown field" message.
    fn loader_fields<T: serde::de::DeserializeOwned + std::fmt::Debug>() -> Vec<String> {
        let error = crate::store::parse::<T>("zzz_unknown: 1\n").unwrap_err();
        let serde_saphyr::Error::SerdeUnknownField { expected, .. } = error else {
            panic!("not an unknown-field error: {error}");
        };
        let mut fields: Vec<String> = expected.iter().map(ToString::to_string).collect();
        fields.sort();
        fields
    }

    fn schema_fields(object: &Value) -> Vec<String> {
        assert_eq!(object["additionalProperties"], false);
        let mut fields: Vec<String> = object["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        fields.sort();
        fields
    }

    #[test]
    fn every_schema_has_exactly_the_loaders_fields() {
        let entry = |kind: Kind, key: &str| schema(kind)["properties"][key]["items"].clone();
        assert_eq!(
            schema_fields(&schema(Kind::Action)),
            loader_fields::<Action>()
        );
        assert_eq!(
            schema_fields(&schema(Kind::Logframe)),
            loader_fields::<LogframeRow>()
        );
        assert_eq!(
            schema_fields(&schema(Kind::Logframe)["properties"]["objectives"]["items"]),
            loader_fields::<Objective>()
        );
        assert_eq!(
            schema_fields(&indicator()),
            loader_fields::<crate::model::Indicator>()
        );
        assert_eq!(
            schema_fields(&schema(Kind::Forum)),
            loader_fields::<Forum>()
        );
        assert_eq!(
            schema_fields(&schema(Kind::Forum)["$defs"]["need"]),
            loader_fields::<Need>()
        );
        assert_eq!(
            schema_fields(&schema(Kind::Plan)),
            loader_fields::<PlanInfo>()
        );
        assert_eq!(
            schema_fields(&entry(Kind::Partners, "partners")),
            loader_fields::<Partner>()
        );
        assert_eq!(
            schema_fields(&entry(Kind::Funding, "funding")),
            loader_fields::<FundingSource>()
        );
        assert_eq!(
            schema_fields(&entry(Kind::Locations, "locations")),
            loader_fields::<Place>()
        );
    }

    #[test]
    fn required_fields_are_the_ones_the_loader_requires() {
        let full = "id: 1\ntitle: T\nlead: [A]\ninvolved: []\nlocations: []\nscope: S\ntimeline: \"2019\"\nstatus: planned\nrequested_by: X\nfinancing: []\naddresses: []\nnotes: N\n";
        crate::store::parse::<Action>(full).unwrap();
        let action = schema(Kind::Action);
        let required: Vec<&str> = action["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for line in full.lines() {
            let key = line.split(':').next().unwrap();
            let without = full.replace(&format!("{line}\n"), "");
            let loads = crate::store::parse::<Action>(&without).is_ok();
            assert_eq!(
                loads,
                !required.contains(&key),
                "`{key}`: the loader and the schema disagree on whether it is required"
            );
        }
    }
}
