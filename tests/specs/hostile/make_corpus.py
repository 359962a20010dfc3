#!/usr/bin/env python3
"""Writes the hostile spec corpus next to this script (tests/specs/hostile/NNN_label.yaml).

Every spec is the clean fixture tests/specs/ok/minimal.yaml (plus a small webhooks section)
with one hostile change: names the generated code already uses, names colliding after case
conversion, keywords, bidi and control characters, raw-string delimiters and backslashes in
doc text and literals, enum values and events colliding with the fallback variants, very long
names, plain-http base URLs. tests/reliability_hostile.rs requires each to be either refused by
`check` with located diagnostics or to generate code that compiles.

Run from the repository root: python3 tests/specs/hostile/make_corpus.py [LABEL_PREFIX ...]
(with prefixes, only the matching cases are written, e.g. `generated_type_ page_`).
Deterministic: the same files every run (checked in; the test reads the files, not this script).
"""

import copy
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

RESERVED_TYPES = [
    "Client", "Credentials", "Environment", "Resolution", "LookupAnswer", "WebhookEvent",
    "Result", "Option", "Some", "None", "Ok", "Err", "String", "Vec", "Box", "TryFrom",
    "TryInto", "From", "Into", "Default", "Clone", "Copy", "Debug", "PartialEq", "Eq",
    "PartialOrd", "Ord", "Hash", "Send", "Sync", "Sized", "Unpin", "Iterator", "IntoIterator",
    "ToString", "ToOwned", "Drop", "Fn", "FnMut", "FnOnce", "AsRef", "AsMut", "Extend",
]
# Not reserved, yet close: must compile.
NEAR_TYPES = ["Clients", "Results", "Str", "Value", "Map", "Error", "Rt", "Serde", "Http",
              "Deserialize", "Serialize", "Secret", "Engine", "Operations", "Hosts", "Self_"]
RESERVED_OPS = ["new", "with_base_url", "with_options", "with_call_options", "engine", "resolve",
                "resolve_by_lookup",
                "New", "withBaseUrl", "WithOptions", "Engine", "RESOLVE"]
NEAR_OPS = ["clone", "fmt", "default", "to_runtime", "from_response", "execute", "eq", "hash",
            "drop", "into", "from", "resolved", "engines", "news", "request_body", "rt",
            "operations", "provider_meta"]
KEYWORDS = ["as", "async", "await", "break", "const", "continue", "dyn", "else", "enum",
            "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match",
            "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true",
            "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final",
            "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
            "self", "Self", "super", "crate", "_", "__", "r#type", "union", "macro_rules"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]
NASTY_TEXT = [
    '"#', '"##', 'r#"raw"#', 'r##"x"##', "\\", "\\\\", "\\n", "\\u{202e}", "*/", "/*",
    "/// nested", "//! inner", "#[doc = \"x\"]", '"""', "`", "```rust\nfn x() {}\n```",
    "line\rbreak", "tab\there", "nul\x00byte", "bell\x07", "esc\x1b[31m", "del\x7f",
    "}}}}", "{{{{", "];", "'static", "<script>", "\u2028sep", "\u2029para", "\ufeffbom",
    "\u200bzero-width", "e\u0301", "\U0001F4B3 card",
]
DOC_SPOTS = ["title", "description", "type_doc", "field_doc", "op_doc", "event_doc",
             "credential_doc", "enum_doc", "variant_doc"]


def base():
    with open(os.path.join(ROOT, "tests/specs/ok/minimal.yaml"), encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    spec["webhooks"] = {
        "verify": False,
        "events": {
            "Paid": {"type": "Payment", "when": {"equals": {"status": 4}}, "doc": "Paid."},
            "Other": {"type": "Payment", "doc": "Anything else."},
        },
        "ack": {"body": "ok"},
    }
    return spec


def rename_type(spec, old, new):
    """Renames a named type and every reference to it."""
    spec["types"] = {(new if k == old else k): v for k, v in spec["types"].items()}

    def walk(node):
        if isinstance(node, dict):
            for k, v in list(node.items()):
                if k in ("type", "items", "request", "response") and v == old:
                    node[k] = new
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for key in ("types", "operations", "webhooks"):
        walk(spec.get(key))


def rename_op(spec, old, new):
    spec["operations"] = {(new if k == old else k): v for k, v in spec["operations"].items()}
    for op in spec["operations"].values():
        if op["idempotency"].get("reconcile_with") == old:
            op["idempotency"]["reconcile_with"] = new


def rename_field(spec, ty, old, new):
    fields = spec["types"][ty]["fields"]
    spec["types"][ty]["fields"] = {(new if k == old else k): v for k, v in fields.items()}


def set_doc(spec, spot, text):
    if spot == "title":
        spec["title"] = text
    elif spot == "description":
        spec["description"] = text
    elif spot == "type_doc":
        spec["types"]["Payment"]["doc"] = text
    elif spot == "field_doc":
        spec["types"]["PayRequest"]["fields"]["order_id"]["doc"] = text
    elif spot == "op_doc":
        spec["operations"]["pay"]["doc"] = text
    elif spot == "event_doc":
        spec["webhooks"]["events"]["Paid"]["doc"] = text
    elif spot == "credential_doc":
        spec["credentials"]["salt"]["doc"] = text
    elif spot == "enum_doc":
        spec["types"]["Status"]["values"][0]["doc"] = text
    elif spot == "variant_doc":
        spec["operations"]["pay"].pop("response")
        spec["operations"]["pay"]["responses"] = {
            "Done": {"type": "Payment", "when": {"has": "order_id"}, "doc": text},
            "Other": {"type": "Payment"},
        }


def cases():
    """(label, spec) pairs."""
    out = []

    def add(label, spec):
        out.append((label, spec))

    add("baseline", base())
    # 1. type names the generated module uses, and their lower-case spellings
    for name in RESERVED_TYPES:
        for spelled in {name, name.lower(), re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()}:
            s = base()
            rename_type(s, "Payment", spelled)
            add(f"type_{spelled}", s)
    for name in NEAR_TYPES:
        s = base()
        rename_type(s, "Payment", name)
        add(f"near_type_{name}", s)
    # <Op>Response of an operation with several responses
    s = base()
    set_doc(s, "variant_doc", "two shapes")
    rename_type(s, "Balance", "PayResponse")
    add("type_pay_response", s)
    s = base()
    set_doc(s, "variant_doc", "two shapes")
    rename_type(s, "Balance", "pay_response")
    add("type_pay_response_snake", s)
    # 2. operation names every client already has
    for name in RESERVED_OPS + NEAR_OPS:
        s = base()
        rename_op(s, "balances", name)
        add(f"op_{name}", s)
    s = base()
    rename_op(s, "status", "resolve")
    add("op_resolve_as_lookup", s)
    # 3. hostile doc text: every bidi character (positions rotating), U+202E in every doc
    # position, every nasty text once (positions rotating)
    for i, ch in enumerate(BIDI):
        s = base()
        spot = DOC_SPOTS[i % len(DOC_SPOTS)]
        set_doc(s, spot, f"Pay {ch}evil{ch} text")
        add(f"bidi_{spot}_{i}", s)
    for spot in DOC_SPOTS:
        s = base()
        set_doc(s, spot, "Pay \u202eevil\u202c text")
        add(f"rlo_{spot}", s)
    for i, text in enumerate(NASTY_TEXT):
        s = base()
        spot = DOC_SPOTS[i % len(DOC_SPOTS)]
        set_doc(s, spot, f"before {text} after")
        add(f"text_{spot}_{i}", s)
    # 4. hostile strings in literal positions
    for i, text in enumerate(NASTY_TEXT + BIDI):
        if i % 2 == 0:
            s = base()
            s["operations"]["balances"]["path"] = "/balances/" + text
            add(f"path_{i}", s)
        else:
            s = base()
            s["types"]["Status"]["values"][0]["wire"] = "w" + text
            s["types"]["Status"]["values"][0]["name"] = "pending"
            add(f"enum_wire_{i}", s)
        if i % 4 == 0:
            s = base()
            rename_field(s, "Payment", "order_id", "order" + text)
            add(f"field_wire_{i}", s)
        if i % 4 == 2:
            s = base()
            s["operations"]["balances"]["examples"][0]["response"]["EUR"]["currency"] = text
            add(f"example_{i}", s)
    # 5. enum values and the catch-all
    for values in (["unknown"], ["Unknown"], ["UNKNOWN"], ["unknown", "provider_unknown"],
                   ["Unknown", "ProviderUnknown"], ["provider_unknown"], ["a", "A"],
                   ["1", "V1"], ["self"], ["Self"], ["_"], ["é"], ["日本"], ["type"],
                   ["fn"], ["async"], ["match"], ["Some"], ["None"], ["Ok"], ["Err"],
                   ["from_wire"], ["is_known"], ["to_wire"], ["common"], ["foo-bar", "foo_bar"],
                   ["x" * 1000], ["-1"], [" "], [""]):
        s = base()
        s["types"]["Status"]["values"] = [{"wire": v, "name": v} if v.strip() else {"wire": v}
                                          for v in values]
        add("enum_" + "_".join(re.sub(r"\W", "x", v)[:20] or "empty" for v in values), s)
    # 6. events and the fallback variant
    for names in (["Unrecognised"], ["unrecognised"], ["UNRECOGNISED"], ["paid", "Paid"],
                  ["Self"], ["self"], ["type"], ["from_fields"], ["Unknown"], ["Some"],
                  ["WebhookEvent"], ["1st"], ["é"]):
        s = base()
        s["webhooks"]["events"] = {n: {"type": "Payment", "when": {"has": "order_id"}}
                                   for n in names}
        s["webhooks"]["events"]["Other"] = {"type": "Payment"}
        add("event_" + "_".join(re.sub(r"\W", "x", n) for n in names), s)
    # 7. collisions after case conversion
    s = base()
    s["types"]["payment"] = copy.deepcopy(s["types"]["Payment"])
    add("collide_types", s)
    s = base()
    s["types"]["PayRequest"]["fields"]["orderId"] = {"type": "string"}
    add("collide_fields", s)
    s = base()
    s["operations"]["Status"] = copy.deepcopy(s["operations"]["status"])
    add("collide_ops", s)
    s = base()
    s["credentials"]["Salt"] = {"secret": True}
    add("collide_credentials", s)
    s = base()
    s["environments"]["Sandbox"] = "https://other.example.com"
    add("collide_environments", s)
    s = base()
    set_doc(s, "variant_doc", "x")
    s["operations"]["pay"]["responses"]["done"] = {"type": "Payment"}
    add("collide_variants", s)
    s = base()
    s["webhooks"]["events"]["PAID"] = {"type": "Payment"}
    add("collide_events", s)
    # 8. keywords as names
    for k, kw in enumerate(KEYWORDS):
        s = base()
        rename_field(s, "Payment", "order_id", kw)
        add(f"kw_field_{kw}", s)
        if k % 2 == 0:
            s = base()
            rename_op(s, "balances", kw)
            add(f"kw_op_{kw}", s)
        if kw.isidentifier() and k % 2 == 1:
            s = base()
            rename_type(s, "Payment", kw)
            add(f"kw_type_{kw}", s)
    # 9. long names
    for n in (64, 65, 1000, 10000):
        s = base()
        s["provider"] = "p" * n
        add(f"provider_id_{n}", s)
    for n in (100, 1000, 5000):
        s = base()
        rename_type(s, "Payment", "T" * n)
        add(f"long_type_{n}", s)
        s = base()
        rename_op(s, "balances", "o" * n)
        add(f"long_op_{n}", s)
        s = base()
        rename_field(s, "Payment", "order_id", "f" * n)
        add(f"long_field_{n}", s)
    s = base()
    set_doc(s, "op_doc", "word " * 20000)
    add("long_doc", s)
    # 10. provider ids
    for pid in ("Foo", "foo-bar", "1abc", "self", "crate", "super", "std", "core", "alloc",
                "rt", "paygen_runtime", "serde", "serde_json", "http", "tokio", "__", "a__b",
                "x_", "_x", "r#type", "type", "async", "main", "test"):
        s = base()
        s["provider"] = pid
        add(f"provider_{re.sub(r'[^A-Za-z0-9_]', 'x', pid)}", s)
    # 11. transport security
    for url in ("http://api.example.com", "http://10.0.0.1", "http://127.0.0.1:8080",
                "http://localhost:9000", "http://[::1]:80", "http://127.0.0.1.example.com",
                "https://api.example.com", "ftp://api.example.com", "http://user@example.com"):
        s = base()
        s["environments"]["production"] = url
        add("url_" + re.sub(r"[^A-Za-z0-9]", "_", url), s)
    s = base()
    s["environments"]["production"] = {"local_simulator": "http://sim.lan:8080"}
    add("url_local_simulator", s)
    # 12. credentials and hosts with hostile names
    for i, name in enumerate(["self", "type", "Salt Key", "é", "a" * 500, "to_runtime",
                              "new", "x\u202ey"]):
        s = base()
        s["credentials"][name] = {"secret": False, "doc": f"credential {i}"}
        add(f"credential_{i}", s)
    for i, name in enumerate(["type", "self", "x\u202ey", "h" * 300, "default2"]):
        s = base()
        s["environments"] = {e: {"default": u, name: u + "/x"}
                             for e, u in s["environments"].items()}
        add(f"host_{i}", s)
    # 13. items the emitters generate in a provider module besides the table above: the
    # webhook `Notification` wrapper, an event's `<Event>Reply` enum, a page's `<page>_url`
    for name in ("Notification", "notification", "PaidReply", "paid_reply"):
        s = base()
        s["webhooks"]["events"]["Paid"]["replies"] = {"confirm": {"body": '{"code":0}'}}
        rename_type(s, "Balance", name)
        add(f"generated_type_{name}", s)
    for page, op in (("status", "status_url"), ("with_base", None), ("balances", "balances_url")):
        s = base()
        s["pages"] = {page: {"path": "/page/", "request": "StatusRequest"}}
        if op:
            rename_op(s, "balances" if op != "balances_url" else "status", op)
        add(f"page_{page}", s)
    return out


def main():
    # With label prefixes as arguments, only those cases are (re)written and nothing is
    # removed: cases added at the end keep the numbers of the files already checked in.
    only = sys.argv[1:]
    if not only:
        for f in os.listdir(HERE):
            if f.endswith(".yaml"):
                os.remove(os.path.join(HERE, f))
    seen = set()
    for i, (label, spec) in enumerate(cases()):
        label = re.sub(r"[^A-Za-z0-9_]", "x", label)[:60]
        name = f"{i:03}_{label}.yaml"
        assert name not in seen
        seen.add(name)
        if only and not any(label.startswith(p) for p in only):
            continue
        text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=100)
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            f.write(f"# hostile corpus case {i}: {label} (written by make_corpus.py)\n")
            f.write(text)
    print(f"{len(seen)} specs written", file=sys.stderr)


if __name__ == "__main__":
    main()
