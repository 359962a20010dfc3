//! No cycles between the top-level modules of a crate: the edges are read from the sources
//! (`use crate::x`, `crate::x::...` paths, `super::` paths), following the module tree from
//! `lib.rs` as the compiler does and leaving out `#[cfg(test)]` modules and items and comments.
//! A name re-exported (`pub use crate::y::Name`) by the crate root or by a top-level module is an
//! edge to the module that defines it (`crate::x::Name` depends on `y`, not on `x`). A cycle
//! fails the test, named with the file of each edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// The library crates whose top-level modules must form no cycle (path of the crate root).
const CRATE_ROOTS: [&str; 5] = [
    "runtime/src/lib.rs",
    "sandbox/src/lib.rs",
    "codegen/src/lib.rs",
    "record/src/lib.rs",
    "sandbox/http-server/src/lib.rs",
];

/// `from -> to -> files that make the edge` between top-level modules.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// One crate's modules and what its top-level modules name.
struct Reader {
    src: PathBuf,
    /// Top-level modules (declared in the crate root).
    tops: BTreeSet<String>,
    /// Names re-exported by the crate root: name -> the top-level module it comes from.
    root_exports: BTreeMap<String, String>,
    /// Names a top-level module re-exports from another: (module, name) -> that other module.
    module_exports: BTreeMap<(String, String), String>,
    /// Every path named: (top-level module naming it, absolute path, file).
    named: Vec<(String, Vec<String>, String)>,
    problems: Vec<String>,
}

impl Reader {
    fn new(root_file: &Path) -> Reader {
        Reader {
            src: root_file
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            tops: BTreeSet::new(),
            root_exports: BTreeMap::new(),
            module_exports: BTreeMap::new(),
            named: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn parse(&mut self, file: &Path) -> Option<syn::File> {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                self.problems.push(format!("{}: {e}", file.display()));
                return None;
            }
        };
        match syn::parse_file(&text) {
            Ok(f) => Some(f),
            Err(e) => {
                self.problems.push(format!("{}: {e}", file.display()));
                None
            }
        }
    }

    /// Reads the crate root, then every module file it declares (tests left out).
    fn read_crate(&mut self, root_file: &Path) {
        let Some(root) = self.parse(root_file) else {
            return;
        };
        for item in &root.items {
            match item {
                syn::Item::Mod(m) if !is_test_only(&m.attrs) => {
                    self.tops.insert(m.ident.to_string());
                }
                syn::Item::Use(u) => {
                    for path in use_paths(&u.tree) {
                        if let (Some(first), Some(name)) = (path.first(), path.last()) {
                            self.root_exports.insert(name.clone(), first.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        self.root_exports.retain(|_, m| self.tops.contains(m));
        let dir = self.src.clone();
        self.read_items(&root.items, &[], &dir, "lib.rs");
    }

    /// Follows `mod x;` and inline modules; records the edges of every other item.
    fn read_items(&mut self, items: &[syn::Item], module: &[String], dir: &Path, file: &str) {
        for item in items {
            match item {
                syn::Item::Mod(m) if is_test_only(&m.attrs) => {}
                syn::Item::Mod(m) => {
                    let mut inner = module.to_vec();
                    inner.push(m.ident.to_string());
                    let child_dir = dir.join(m.ident.to_string());
                    match &m.content {
                        Some((_, items)) => self.read_items(items, &inner, &child_dir, file),
                        None => match path_attr(&m.attrs) {
                            Some(given) => {
                                let at = self.src.join(file).with_file_name(given);
                                self.read_file(&inner, &at, &child_dir);
                            }
                            None => self.read_module_file(&inner, dir, &m.ident.to_string()),
                        },
                    }
                }
                syn::Item::Use(u) if !is_test_only(&u.attrs) => {
                    for path in use_paths(&u.tree) {
                        self.edge_to(module, &path, file);
                        let exported = !matches!(u.vis, syn::Visibility::Inherited);
                        if let (true, [top]) = (exported, module) {
                            self.note_export(top, &path);
                        }
                    }
                }
                other if !is_test_only(item_attrs(other)) => {
                    self.edges_in_tokens(module, other.to_token_stream(), file);
                }
                _ => {}
            }
        }
    }

    fn read_module_file(&mut self, module: &[String], dir: &Path, name: &str) {
        let flat = dir.join(format!("{name}.rs"));
        let nested = dir.join(name).join("mod.rs");
        let path = if flat.exists() { flat } else { nested };
        self.read_file(module, &path, &dir.join(name));
    }

    /// Reads the file of `module`, whose own `mod x;` files are in `dir`.
    fn read_file(&mut self, module: &[String], path: &Path, dir: &Path) {
        if let Some(parsed) = self.parse(path) {
            let file = path
                .strip_prefix(&self.src)
                .unwrap_or(path)
                .display()
                .to_string();
            self.read_items(&parsed.items, module, dir, &file);
        }
    }

    /// Every `crate :: x` and `super :: ... :: x` path in the tokens of one item.
    fn edges_in_tokens(&mut self, module: &[String], tokens: TokenStream, file: &str) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Group(g) => self.edges_in_tokens(module, g.stream(), file),
                TokenTree::Ident(id) if *id == "crate" || *id == "super" => {
                    let path = path_after(&trees[i..]);
                    self.edge_to(module, &path, file);
                }
                _ => {}
            }
        }
    }

    /// Records what `module`'s top-level module names with `path` (when it is absolute).
    fn edge_to(&mut self, module: &[String], path: &[String], file: &str) {
        if let (Some(from), Some(target)) = (module.first(), resolve(module, path)) {
            self.named.push((from.clone(), target, file.to_string()));
        }
    }

    /// `pub use crate::y::...::Name` in the top-level module `top`: `top::Name` is `y`'s.
    fn note_export(&mut self, top: &str, path: &[String]) {
        let Some(target) = resolve(&[top.to_string()], path) else {
            return;
        };
        if let (Some(from), Some(name)) = (target.first(), target.last()) {
            if from != top && target.len() >= 2 {
                self.module_exports
                    .insert((top.to_string(), name.clone()), from.clone());
            }
        }
    }

    /// The top-level module that defines what the absolute `target` names.
    fn defining_module(&self, target: &[String]) -> Option<String> {
        let first = target.first()?;
        if !self.tops.contains(first) {
            return self.root_exports.get(first).cloned();
        }
        let exported = target
            .get(1)
            .and_then(|name| self.module_exports.get(&(first.clone(), name.clone())));
        Some(exported.unwrap_or(first).clone())
    }

    /// The edges between top-level modules.
    fn graph(&self) -> Graph {
        let mut graph = Graph::new();
        for (from, target, file) in &self.named {
            let Some(to) = self.defining_module(target) else {
                continue;
            };
            if to != *from && self.tops.contains(&to) {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .insert(file.clone());
            }
        }
        graph
    }
}

/// The absolute module path (from the crate root) a path written in `module` names, when it
/// starts with `crate` or `super`.
fn resolve(module: &[String], path: &[String]) -> Option<Vec<String>> {
    let first = path.first()?;
    if first == "crate" {
        return Some(path[1..].to_vec());
    }
    if first != "super" {
        return None;
    }
    let ups = path.iter().take_while(|s| *s == "super").count();
    let base = module.len().checked_sub(ups)?;
    let mut out = module[..base].to_vec();
    out.extend(path[ups..].iter().cloned());
    Some(out)
}

/// `crate :: a :: b` at the start of `trees`, as `["crate", "a", "b"]`.
fn path_after(trees: &[TokenTree]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = trees;
    while let Some(TokenTree::Ident(id)) = rest.first() {
        out.push(id.to_string());
        match rest {
            [_, TokenTree::Punct(a), TokenTree::Punct(b), ..]
                if a.as_char() == ':' && b.as_char() == ':' =>
            {
                rest = &rest[3..];
            }
            _ => break,
        }
    }
    out
}

/// Every path a `use` tree names (renames and globs end at their prefix).
fn use_paths(tree: &syn::UseTree) -> Vec<Vec<String>> {
    match tree {
        syn::UseTree::Path(p) => use_paths(&p.tree)
            .into_iter()
            .map(|mut rest| {
                rest.insert(0, p.ident.to_string());
                rest
            })
            .collect(),
        syn::UseTree::Name(n) => vec![vec![n.ident.to_string()]],
        syn::UseTree::Rename(r) => vec![vec![r.ident.to_string()]],
        syn::UseTree::Glob(_) => vec![Vec::new()],
        syn::UseTree::Group(g) => g.items.iter().flat_map(use_paths).collect(),
    }
}

/// The file a `#[path = "..."]` attribute names.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.meta.to_token_stream().to_string().contains("cfg (test)")
    })
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        _ => &[],
    }
}

/// The first cycle found, as `a -> b (file) -> ... -> a`, or `None`.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        node: &str,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|m| m.keys()) {
            if let Some(c) = visit(graph, next, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|start| visit(graph, start, &mut Vec::new(), &mut done))
}

/// A cycle written with the files that make each edge.
fn describe(graph: &Graph, cycle: &[String]) -> String {
    let mut text = cycle[0].clone();
    for pair in cycle.windows(2) {
        let files: Vec<&str> = graph[&pair[0]][&pair[1]]
            .iter()
            .map(String::as_str)
            .collect();
        text.push_str(&format!(" -> {} (in {})", pair[1], files.join(", ")));
    }
    text
}

/// The edges between the top-level modules of the crate rooted at `root_file`.
fn crate_graph(root_file: &Path) -> Result<Graph, Vec<String>> {
    let mut reader = Reader::new(root_file);
    reader.read_crate(root_file);
    if !reader.problems.is_empty() {
        return Err(reader.problems);
    }
    assert!(
        reader.tops.len() >= 2,
        "{}: read its top-level modules ({:?})",
        root_file.display(),
        reader.tops
    );
    Ok(reader.graph())
}

/// The cycle (described) among the top-level modules of the crate rooted at `root_file`.
fn crate_cycle(root_file: &Path) -> Result<Option<String>, Vec<String>> {
    let graph = crate_graph(root_file)?;
    Ok(find_cycle(&graph).map(|c| describe(&graph, &c)))
}

#[test]
fn top_level_modules_form_no_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for krate in CRATE_ROOTS {
        match crate_cycle(&root.join(krate)) {
            Ok(None) => {}
            Ok(Some(cycle)) => found.push(format!("{krate}: {cycle}")),
            Err(problems) => found.push(format!("{krate}: unreadable: {problems:?}")),
        }
    }
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

fn graph_of(edges: &[(&str, &str)]) -> Graph {
    let mut g = Graph::new();
    for (a, b) in edges {
        g.entry(a.to_string())
            .or_default()
            .entry(b.to_string())
            .or_default()
            .insert(format!("{a}.rs"));
    }
    g
}

#[test]
fn the_finder_names_a_cycle_and_passes_a_chain() {
    let chain = graph_of(&[("a", "b"), ("b", "c"), ("a", "c"), ("d", "a")]);
    assert_eq!(find_cycle(&chain), None);
    let cyclic = graph_of(&[("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]);
    let cycle = find_cycle(&cyclic).expect("a cycle");
    assert_eq!(cycle, ["a", "b", "c", "a"]);
    assert_eq!(
        describe(&cyclic, &cycle),
        "a -> b (in a.rs) -> c (in b.rs) -> a (in c.rs)"
    );
}

/// Writes a small crate and returns its `lib.rs`.
fn small_crate(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("module_cycles")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("create the directory");
        std::fs::write(&file, text).expect("write the file");
    }
    dir.join("lib.rs")
}

#[test]
fn a_cycle_through_a_submodule_super_path_and_root_export_is_named() {
    let lib = small_crate(
        "cyclic",
        &[
            (
                "lib.rs",
                "mod engine;\nmod reconcile;\nmod leaf;\npub use leaf::Plain;\n",
            ),
            ("engine.rs", "mod types;\n"),
            ("engine/types.rs", "use super::super::reconcile::Resolve;\n"),
            (
                "reconcile.rs",
                "pub struct Resolve;\nfn f(_: crate::engine::X, _: crate::Plain) {}\n",
            ),
            ("leaf.rs", "pub struct Plain;\n"),
        ],
    );
    let cycle = crate_cycle(&lib).expect("readable").expect("a cycle");
    assert_eq!(
        cycle,
        "engine -> reconcile (in engine/types.rs) -> engine (in reconcile.rs)"
    );
    let graph = crate_graph(&lib).expect("readable");
    assert!(
        graph["reconcile"].contains_key("leaf"),
        "`crate::Plain` is an edge to the module the root re-exports it from: {graph:?}"
    );
}

#[test]
fn comments_and_test_modules_make_no_edge() {
    let lib = small_crate(
        "acyclic",
        &[
            ("lib.rs", "mod a;\nmod b;\n"),
            ("a.rs", "use crate::b::B;\npub struct A(B);\n"),
            (
                "b.rs",
                "//! Links [`crate::a::A`].\npub struct B;\n/// Not [`crate::a::A`].\npub fn f() {}\n\
                 #[cfg(test)]\nmod tests { use crate::a::A; }\n#[cfg(test)]\nmod more;\n",
            ),
        ],
    );
    assert_eq!(crate_cycle(&lib), Ok(None));
}

#[test]
fn a_name_a_module_re_exports_is_an_edge_to_the_module_defining_it() {
    let files = |engine: &'static str| {
        [
            ("lib.rs", "mod decode;\nmod engine;\nmod webhook;\n"),
            ("decode.rs", "pub fn decode_value() {}\n"),
            ("engine.rs", engine),
            (
                "webhook.rs",
                "use crate::engine::decode_value;\npub struct V;\n",
            ),
        ]
    };
    let re_exported = small_crate(
        "re_exported",
        &files("pub use crate::decode::decode_value;\nfn f(_: crate::webhook::V) {}\n"),
    );
    assert_eq!(crate_cycle(&re_exported), Ok(None));
    let graph = crate_graph(&re_exported).expect("readable");
    assert!(graph["webhook"].contains_key("decode"), "{graph:?}");
    let defined_in_engine = small_crate(
        "defined_in_engine",
        &files("pub fn decode_value() {}\nfn f(_: crate::webhook::V) {}\n"),
    );
    assert_eq!(
        crate_cycle(&defined_in_engine),
        Ok(Some(
            "engine -> webhook (in engine.rs) -> engine (in webhook.rs)".to_string()
        ))
    );
}
