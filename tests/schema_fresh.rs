//! `specs/schema.json` is generated from the spec model: this test fails when it is stale and
//! rewrites it, so the fix is one commit.

#[test]
fn schema_json_is_up_to_date() {
    let path = std::path::Path::new("specs/schema.json");
    let fresh = paygen_codegen::schema::schema_json();
    let current = std::fs::read_to_string(path).unwrap_or_default();
    if current != fresh {
        std::fs::write(path, &fresh).expect("write specs/schema.json");
        panic!("specs/schema.json was stale and has been rewritten: review and commit it");
    }
}
