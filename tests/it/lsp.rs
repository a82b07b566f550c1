//! `hld lsp` driven over stdio as an editor drives it: the real binary, framed
//! JSON-RPC, every feature once, and the messages an editor should never send.

use serde_json::{Value, json};

use crate::lsp_client::{Client, initialize, uri};

/// The 0-based position of the `nth` occurrence of `needle` in `text`, in UTF-16.
fn position(text: &str, needle: &str, nth: usize) -> Value {
    let offset = text.match_indices(needle).nth(nth).expect("in the text").0;
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..offset].encode_utf16().count();
    json!({ "line": line, "character": character })
}

const MAIN: &str = "import \"lib.hld\"\nclient users \"Ünïcode users\"\nservice api { replicas: 2, frobnicate: 1 }\nusers -> api\napi -> db\n";
const FIXED: &str = "import \"lib.hld\"\nclient users \"Ünïcode users\"\nservice api { replicas: 2 }\nusers -> api\napi -> db\n";

#[test]
fn an_editor_session_uses_every_feature() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    std::fs::write(dir.join("lib.hld"), "database db { replicas: 2 }\n").unwrap();
    let main = dir.join("main.hld");
    std::fs::write(&main, MAIN).unwrap();
    let main_uri = uri(&main);
    let doc = json!({ "uri": main_uri });
    let mut client = Client::start(&dir);

    let init = initialize(&mut client, &["utf-16"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");

    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": main_uri, "languageId": "hld", "version": 1, "text": MAIN } }),
    );
    let opened = client.diagnostics(&main_uri);
    let unknown = opened
        .iter()
        .find(|d| d["code"] == "unknown-attribute")
        .expect("the compile error");
    assert_eq!(unknown["range"]["start"], position(MAIN, "frobnicate", 0));
    assert_eq!(unknown["severity"], 1);

    // An incremental change removes the bad attribute: only findings remain.
    let start = position(MAIN, ", frobnicate", 0);
    let mut end = start.clone();
    end["character"] = json!(start["character"].as_u64().unwrap() + ", frobnicate: 1".len() as u64);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main_uri, "version": 2 },
            "contentChanges": [{ "range": { "start": start, "end": end }, "text": "" }],
        }),
    );
    let fixed = client.diagnostics(&main_uri);
    assert!(
        fixed.iter().all(|d| d["code"] != "unknown-attribute"),
        "{fixed:?}"
    );
    assert!(
        fixed
            .iter()
            .any(|d| d["code"] == "no-rate-limit" && d["source"] == "hld"),
        "the findings stay: {fixed:?}"
    );

    let at = |needle: &str, nth: usize| json!({ "textDocument": doc, "position": position(FIXED, needle, nth) });
    let hover = client.request("textDocument/hover", at("api", 1));
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**api**") && text.contains("service"),
        "{text}"
    );
    let hover = client.request("textDocument/hover", at("replicas", 0));
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("`replicas`")
    );

    let mut after_arrow = at("db", 0);
    after_arrow["position"]["character"] = json!(7);
    let completion = client.request("textDocument/completion", after_arrow);
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"db") && labels.contains(&"users"),
        "{labels:?}"
    );

    let definition = client.request("textDocument/definition", at("db", 0));
    assert_eq!(definition["result"]["uri"], uri(&dir.join("lib.hld")));
    assert_eq!(
        definition["result"]["range"]["start"],
        json!({ "line": 0, "character": 9 })
    );

    let mut references = at("api", 0);
    references["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", references);
    assert_eq!(references["result"].as_array().unwrap().len(), 3);

    let mut rename = at("api", 0);
    rename["newName"] = json!("backend");
    let rename = client.request("textDocument/rename", rename);
    assert_eq!(
        rename["result"]["changes"][&main_uri]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let mut collision = at("api", 0);
    collision["newName"] = json!("db");
    let collision = client.request("textDocument/rename", collision);
    assert!(
        collision["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already declared"),
        "{collision}"
    );

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": doc }),
    );
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["users", "api"]);

    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert!(formatting["result"].is_array(), "{formatting}");

    let finding = fixed.iter().find(|d| d["code"] == "no-rate-limit").unwrap();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": doc, "range": finding["range"], "context": { "diagnostics": [finding] } }),
    );
    let titles: Vec<&str> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Allow `no-rate-limit` here")),
        "{titles:?}"
    );

    // What an editor should not send gets an error, and the session goes on.
    client.send_raw(b"{ not json");
    let parse_error = client.wait(|m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    let unknown = client.request("hld/unknown", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad_params = client.request("textDocument/hover", json!({ "nope": 1 }));
    assert_eq!(bad_params["error"]["code"], -32602);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main_uri, "version": 3 },
            "contentChanges": [{ "text": "service api {{{ \u{1F600}" }],
        }),
    );
    let broken = client.diagnostics(&main_uri);
    assert!(broken.iter().any(|d| d["code"] == "syntax"), "{broken:?}");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": doc, "position": { "line": 0, "character": 9 } }),
    );
    assert!(
        hover.get("result").is_some(),
        "an answer, even on broken text: {hover}"
    );
    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert!(
        formatting["error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not parse")
    );

    assert!(client.exit().success());
}

/// What hover and completion know: engines with their sources, units, rules (in
/// `@allow` and on findings), enum values, calls as snippets; and a one-attribute fix.
#[test]
fn hover_completion_and_fixes_know_the_schema() {
    const DESIGN: &str = "client users\ngateway edge { replicas: 2, auth: jwt, rate_limit: 1k/s }\nservice api { replicas: 2 }\n@allow(no-backup, \"rebuilt nightly from the event log\")\ndatabase db { engine: postgres, replicas: 2, record_size: 500B }\nexternal stripe \"Stripe\"\nusers -> edge -> api { protocol: https }\napi -> db\napi -> stripe { timeout: 2s }\n";
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let path = dir.join("shop.hld");
    std::fs::write(&path, DESIGN).unwrap();
    let shop = uri(&path);
    let mut client = Client::start(&dir);
    let init = initialize(&mut client, &["utf-8", "utf-16"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": shop, "languageId": "hld", "version": 1, "text": DESIGN } }),
    );
    let diagnostics = client.diagnostics(&shop);
    let at = |needle: &str, nth: usize, shift: i64| {
        let mut p = position(DESIGN, needle, nth);
        p["character"] = json!(p["character"].as_i64().unwrap() + shift);
        json!({ "textDocument": { "uri": shop }, "position": p })
    };
    let hover = |client: &mut Client, needle: &str, nth: usize| {
        let answer = client.request("textDocument/hover", at(needle, nth, 0));
        answer["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    let engine = hover(&mut client, "postgres", 0);
    assert!(
        engine.contains("**postgres**") && engine.contains("postgresql.org"),
        "{engine}"
    );
    let size = hover(&mut client, "500B", 0);
    assert!(size.contains("500 bytes"), "{size}");
    let rule = hover(&mut client, "no-backup", 0);
    assert!(
        rule.contains("**`no-backup`**") && rule.contains("Replication"),
        "{rule}"
    );
    let kind = hover(&mut client, "external", 0);
    assert!(kind.contains("does not run"), "{kind}");
    // On the finding's span (the link to Stripe), the trade-off behind the rule.
    let finding = hover(&mut client, "stripe {", 0);
    assert!(finding.contains("no-circuit-breaker"), "{finding}");

    let labels = |answer: &Value| -> Vec<String> {
        answer["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    };
    let engines = client.request("textDocument/completion", at("postgres", 0, 0));
    let engines = labels(&engines);
    assert!(
        engines.contains(&"postgres".to_owned()) && !engines.contains(&"kafka".to_owned()),
        "{engines:?}"
    );
    let calls = client.request("textDocument/completion", at("1k/s", 0, 0));
    let snippet = calls["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "token_bucket")
        .expect("a rate limit call");
    assert_eq!(snippet["insertTextFormat"], 2, "a snippet");
    assert!(
        snippet["insertText"]
            .as_str()
            .unwrap()
            .starts_with("token_bucket(rate: ${1}")
    );
    let rules = client.request("textDocument/completion", at("no-backup", 0, 0));
    let rules = labels(&rules);
    assert!(
        rules.contains(&"no-circuit-breaker".to_owned()) && rules.contains(&"security".to_owned())
    );
    let attributes = client.request("textDocument/completion", at("replicas: 2 }", 0, 0));
    let attributes = labels(&attributes);
    assert!(
        attributes.contains(&"capacity".to_owned())
            && !attributes.contains(&"hit_ratio".to_owned()),
        "{attributes:?}"
    );

    let breaker = diagnostics
        .iter()
        .find(|d| d["code"] == "no-circuit-breaker")
        .expect("the finding");
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": shop }, "range": breaker["range"], "context": { "diagnostics": [breaker] } }),
    );
    let fix = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Set `circuit_breaker: true`")
        .expect("the one-attribute fix");
    let edit = &fix["edit"]["changes"][&shop][0];
    assert_eq!(edit["newText"], ", circuit_breaker: true");
    // After the last attribute of the link to Stripe.
    assert_eq!(edit["range"]["start"], position(DESIGN, " }\n", 4));
    assert!(client.exit().success());
}

/// While a block is being typed (not closed yet, so the file does not parse), completion
/// still offers that block's attributes, not kinds; and `engine:` only the engines of
/// the component's kind.
#[test]
fn completion_in_a_block_being_typed_offers_its_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let path = dir.join("typing.hld");
    let cases = [
        ("client users\nservice api {\n  rep", "replicas", "service"),
        ("client users\ncache hot { engine: ", "redis", "postgres"),
        (
            "client users\ndatabase db {\n  replicas: 2\n  ",
            "record_size",
            "cache",
        ),
    ];
    let mut client = Client::start(&dir);
    initialize(&mut client, &["utf-16"]);
    for (version, (text, offered, not_offered)) in cases.into_iter().enumerate() {
        std::fs::write(&path, text).unwrap();
        let file = uri(&path);
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": file, "languageId": "hld", "version": version, "text": text } }),
        );
        let last = text.lines().count() - 1;
        let column = text.lines().last().unwrap().len();
        let answer = client.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": file }, "position": { "line": last, "character": column } }),
        );
        let labels: Vec<&str> = answer["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap())
            .collect();
        assert!(labels.contains(&offered), "{text:?}: {labels:?}");
        assert!(!labels.contains(&not_offered), "{text:?}: {labels:?}");
        client.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": file } }),
        );
    }
}
