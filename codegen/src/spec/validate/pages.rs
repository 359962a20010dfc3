//! Checks of pages (`pages:`): the request is an object type, the path starts with `/`, and
//! every `{field}` of the path is a field of the request.

use super::Ctx;

const CODE: &str = "E0132";

pub(super) fn check(ctx: &mut Ctx) {
    let spec = ctx.spec();
    let mut problems = Vec::new();
    for (name, page) in &spec.pages {
        let at = format!("pages.{name}");
        let fields = spec
            .types
            .get(&page.request)
            .and_then(|t| t.fields.as_ref());
        let Some(fields) = fields else {
            problems.push((
                format!("{at}.request"),
                format!("`{}` is not an object type of this spec", page.request),
            ));
            continue;
        };
        if !page.path.starts_with('/') {
            problems.push((format!("{at}.path"), "a path starts with `/`".to_string()));
        }
        let mut rest = page.path.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                problems.push((
                    format!("{at}.path"),
                    "an unclosed `{` in the path".to_string(),
                ));
                break;
            };
            let field = &rest[open + 1..open + close];
            if !fields.contains_key(field) {
                problems.push((
                    format!("{at}.path"),
                    format!("`{{{field}}}` is not a field of `{}`", page.request),
                ));
            }
            rest = &rest[open + close + 1..];
        }
    }
    for (at, message) in problems {
        ctx.err(CODE, &at, message);
    }
}
