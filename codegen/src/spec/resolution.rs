//! How an operation's unknown outcome is resolved: the lookup (and the proof that its request
//! can always be filled from the original request) or the notification to await. Shared by
//! validation (which reports each problem) and lowering (which emits the resolution).

use indexmap::IndexMap;

use super::builtin::Builtin;
use super::model::{Field, FieldSource, Operation, Spec};

/// A resolution, with its key as `(target, source)` pairs (both dotted wire paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Ask this operation; its request fields come from the original request.
    Lookup {
        /// The lookup operation.
        operation: String,
        /// Lookup request field <- original request path.
        key: Vec<(String, String)>,
    },
    /// Await one of these notifications.
    AwaitCallback {
        /// Event kinds.
        events: Vec<String>,
        /// Notification path <- original request path.
        key: Vec<(String, String)>,
    },
    /// None named.
    Unspecified,
}

/// A problem with a resolution: spec path, code, message, hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted spec path.
    pub path: String,
    /// Diagnostic code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// The resolution of `op` and every problem found proving it.
pub fn resolve(spec: &Spec, name: &str, op: &Operation) -> (Resolution, Vec<Problem>) {
    let ipath = format!("operations.{name}.idempotency");
    let idem = &op.idempotency;
    let mut problems = Vec::new();
    let mut problem = |path: String, code, message: String, hint: &str| {
        problems.push(Problem {
            path,
            code,
            message,
            hint: hint.to_string(),
        })
    };
    let request = op.request.as_deref();
    let resolution = match (&idem.reconcile_with, &idem.await_callback) {
        (Some(_), Some(_)) => {
            problem(
                ipath.clone(),
                "E0170",
                "give either `reconcile_with` (a lookup) or `await_callback`, not both".into(),
                "a lookup is preferred when the provider has one",
            );
            Resolution::Unspecified
        }
        (Some(lookup), None) => {
            let key = lookup_key(spec, &ipath, request, lookup, idem.reconcile_key.as_ref());
            let (key, found) = key;
            for p in found {
                problems.push(p);
            }
            Resolution::Lookup {
                operation: lookup.clone(),
                key,
            }
        }
        (None, Some(a)) => {
            let apath = format!("{ipath}.await_callback");
            let found = callback_problems(spec, &apath, request, &a.events, &a.key);
            problems.extend(found);
            Resolution::AwaitCallback {
                events: a.events.clone(),
                key: a.key.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            }
        }
        (None, None) => Resolution::Unspecified,
    };
    if idem.reconcile_key.is_some() && idem.reconcile_with.is_none() {
        problems.push(Problem {
            path: format!("{ipath}.reconcile_key"),
            code: "E0170",
            message: "`reconcile_key` without `reconcile_with`".into(),
            hint: "name the lookup operation in `reconcile_with`".into(),
        });
    }
    (resolution, problems)
}

/// The lookup's key (explicit, or inferred by same wire name) and the problems proving it.
fn lookup_key(
    spec: &Spec,
    ipath: &str,
    request: Option<&str>,
    lookup: &str,
    explicit: Option<&IndexMap<String, String>>,
) -> (Vec<(String, String)>, Vec<Problem>) {
    let mut problems = Vec::new();
    let wpath = format!("{ipath}.reconcile_with");
    let Some(lop) = spec.operations.get(lookup) else {
        // reported as an unknown operation by the operation checks
        return (Vec::new(), problems);
    };
    if !lop.idempotency.safe || lop.money_moving {
        problems.push(Problem {
            path: wpath.clone(),
            code: "E0170",
            message: format!("the lookup `{lookup}` is not a safe operation"),
            hint: "a lookup is repeated freely: name a `safe: true` query that moves no money"
                .into(),
        });
    }
    let targets = object_fields(spec, lop.request.as_deref());
    let needed: Vec<&String> = targets
        .iter()
        .filter(|(_, f)| f.required && f.from.is_none())
        .map(|(n, _)| n)
        .collect();
    let mut key: Vec<(String, String)> = Vec::new();
    match explicit {
        Some(map) => {
            for (target, source) in map {
                let kpath = format!("{ipath}.reconcile_key.{target}");
                match targets.get(target) {
                    Some(f) if f.from.is_none() => key.push((target.clone(), source.clone())),
                    Some(_) => problems.push(Problem {
                        path: kpath,
                        code: "E0171",
                        message: format!("`{target}` of `{lookup}` is filled by the client"),
                        hint: "leave it out of `reconcile_key`".into(),
                    }),
                    None => problems.push(Problem {
                        path: kpath,
                        code: "E0171",
                        message: format!("the lookup `{lookup}` has no request field `{target}`"),
                        hint: format!("its fields: {:?}", targets.keys().collect::<Vec<_>>()),
                    }),
                }
            }
            for n in &needed {
                if !map.contains_key(*n) {
                    problems.push(Problem {
                        path: format!("{ipath}.reconcile_key"),
                        code: "E0171",
                        message: format!(
                            "the lookup `{lookup}` requires `{n}`, which `reconcile_key` does not fill"
                        ),
                        hint: format!("add `{n}: <request field>`"),
                    });
                }
            }
        }
        None => key.extend(needed.iter().map(|n| ((*n).clone(), (*n).clone()))),
    }
    for (target, source) in &key {
        let spath = match explicit {
            Some(_) => format!("{ipath}.reconcile_key.{target}"),
            None => wpath.clone(),
        };
        let tf = targets.get(target).copied();
        if let Some(msg) = source_problem(spec, request, source, tf) {
            problems.push(Problem {
                path: spath,
                code: "E0171",
                message: format!("`{lookup}` needs `{target}` from the request's `{source}`: {msg}"),
                hint: "make the request field required, map another with `reconcile_key`, or use `await_callback`".into(),
            });
        }
    }
    (key, problems)
}

fn callback_problems(
    spec: &Spec,
    apath: &str,
    request: Option<&str>,
    events: &[String],
    key: &IndexMap<String, String>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let known = spec.webhooks.as_ref().map(|w| &w.events);
    if events.is_empty() {
        problems.push(Problem {
            path: format!("{apath}.events"),
            code: "E0172",
            message: "name at least one event".into(),
            hint: "keys of `webhooks.events`".into(),
        });
    }
    for (i, e) in events.iter().enumerate() {
        let Some(ev) = known.and_then(|k| k.get(e)) else {
            problems.push(Problem {
                path: format!("{apath}.events[{i}]"),
                code: "E0172",
                message: format!("unknown event `{e}`"),
                hint: "name a key of `webhooks.events`".into(),
            });
            continue;
        };
        for target in key.keys() {
            if field_at(spec, Some(&ev.ty), target).is_none() {
                problems.push(Problem {
                    path: format!("{apath}.key.{target}"),
                    code: "E0172",
                    message: format!("event `{e}` ({}) has no field `{target}`", ev.ty),
                    hint: "name a field the notification carries".into(),
                });
            }
        }
    }
    if key.is_empty() {
        problems.push(Problem {
            path: format!("{apath}.key"),
            code: "E0172",
            message: "an awaited notification must be recognisable: give at least one key field"
                .into(),
            hint: "e.g. `key: { external_id: external_id }`".into(),
        });
    }
    for (target, source) in key {
        if let Some(msg) = source_problem(spec, request, source, None) {
            problems.push(Problem {
                path: format!("{apath}.key.{target}"),
                code: "E0171",
                message: format!("the notification's `{target}` cannot be matched with the request's `{source}`: {msg}"),
                hint: "name a required, non-sensitive request field".into(),
            });
        }
    }
    problems
}

/// Why `source` (a dotted wire path into the request) cannot always feed a key, if it cannot.
fn source_problem(
    spec: &Spec,
    request: Option<&str>,
    source: &str,
    target: Option<&Field>,
) -> Option<String> {
    let mut ty = request.map(str::to_string);
    let mut last: Option<&Field> = None;
    for part in source.split('.') {
        let fields = object_fields(spec, ty.as_deref());
        let Some(f) = fields.get(part) else {
            return Some(format!("the request has no field `{source}`"));
        };
        if !f.required && f.from.is_none() {
            return Some(format!(
                "`{part}` is optional: the caller may not have sent it"
            ));
        }
        ty = Some(f.ty.clone());
        last = Some(f);
    }
    let f = last?;
    if is_sensitive(spec, f) {
        return Some(
            "it is sensitive (card data, secrets and personal data are never keys)".into(),
        );
    }
    if Builtin::parse(&f.ty) == Some(Builtin::Money) || !is_scalar(spec, &f.ty) {
        return Some(format!("`{}` values cannot be a key", f.ty));
    }
    if let Some(t) = target {
        if kind(spec, &t.ty) != kind(spec, &f.ty) {
            return Some(format!(
                "its type `{}` differs from the lookup field's `{}`",
                f.ty, t.ty
            ));
        }
    }
    None
}

fn is_sensitive(spec: &Spec, f: &Field) -> bool {
    let secret_credential = matches!(&f.from, Some(FieldSource::Credential(c))
        if spec.credentials.get(c).is_none_or(|d| d.secret));
    f.sensitive.is_some()
        || secret_credential
        || spec.types.get(&f.ty).is_some_and(|t| t.sensitive.is_some())
}

fn is_scalar(spec: &Spec, ty: &str) -> bool {
    match spec.types.get(ty) {
        Some(t) => t.values.is_some() || t.base.as_deref().is_some_and(|b| is_scalar(spec, b)),
        None => Builtin::parse(ty).is_some_and(Builtin::is_scalar_base),
    }
}

/// The wire kind of a scalar type (named scalars resolve to their base; enums stay named).
fn kind(spec: &Spec, ty: &str) -> String {
    match spec.types.get(ty) {
        Some(t) if t.values.is_some() => ty.to_string(),
        Some(t) => t
            .base
            .as_deref()
            .map_or_else(|| ty.to_string(), |b| kind(spec, b)),
        None => ty.to_string(),
    }
}

/// The fields of an object type (empty for anything else).
fn object_fields<'a>(spec: &'a Spec, ty: Option<&str>) -> IndexMap<String, &'a Field> {
    ty.and_then(|t| spec.types.get(t))
        .and_then(|t| t.fields.as_ref())
        .map(|f| f.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default()
}

/// The field at a dotted path of an object type.
fn field_at<'a>(spec: &'a Spec, ty: Option<&str>, path: &str) -> Option<&'a Field> {
    let mut ty = ty.map(str::to_string);
    let mut last = None;
    for part in path.split('.') {
        let f = *object_fields(spec, ty.as_deref()).get(part)?;
        ty = Some(f.ty.clone());
        last = Some(f);
    }
    last
}
