//! Which spec operation a recorded request is: method and path matched against the operations'
//! path templates (`/deposit/{endpoint_id}/`), relative to the base path the proxy stands for.

use paygen_codegen::spec::model::{HttpMethod, Spec};

/// The operations of a spec as routes.
#[derive(Debug, Clone)]
pub struct Routes {
    routes: Vec<(String, Vec<String>, String)>,
}

fn method_text(m: HttpMethod) -> &'static str {
    match m {
        HttpMethod::GET => "GET",
        HttpMethod::POST => "POST",
        HttpMethod::PUT => "PUT",
        HttpMethod::DELETE => "DELETE",
        HttpMethod::PATCH => "PATCH",
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Routes {
    /// The routes of every operation of the spec.
    pub fn of(spec: &Spec) -> Routes {
        let routes = spec
            .operations
            .iter()
            .map(|(name, op)| {
                (
                    method_text(op.method).to_string(),
                    segments(&op.path),
                    name.clone(),
                )
            })
            .collect();
        Routes { routes }
    }

    /// The operation answering `method path`, literal segments preferred over parameters when
    /// several match.
    pub fn find(&self, method: &str, path: &str) -> Option<&str> {
        let got = segments(path);
        self.routes
            .iter()
            .filter(|(m, segs, _)| m.eq_ignore_ascii_case(method) && segs.len() == got.len())
            .filter(|(_, segs, _)| {
                segs.iter()
                    .zip(&got)
                    .all(|(want, seen)| want.starts_with('{') || want == seen)
            })
            .max_by_key(|(_, segs, _)| segs.iter().filter(|s| !s.starts_with('{')).count())
            .map(|(_, _, name)| name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_win_over_parameters() {
        let routes = Routes {
            routes: vec![
                ("POST".into(), segments("/deposit/{id}/"), "deposit".into()),
                ("POST".into(), segments("/deposit/status"), "status".into()),
                (
                    "GET".into(),
                    segments("/deposit/status"),
                    "get_status".into(),
                ),
            ],
        };
        assert_eq!(routes.find("POST", "/deposit/77/"), Some("deposit"));
        assert_eq!(routes.find("POST", "/deposit/status"), Some("status"));
        assert_eq!(routes.find("get", "/deposit/status"), Some("get_status"));
        assert_eq!(routes.find("POST", "/refund"), None);
    }
}
