//! Writing into HTML pages (the review document, the simulation's playback): text
//! escaped one way, hld's SVG inlined, and JSON embedded in a `<script>` element so that
//! nothing in it can close the element.

/// Text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// hld's SVG inside HTML, where the parser gives `<svg>` its namespace itself.
pub fn inline_svg(svg: &str) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

/// JSON for `<script type="application/json">`: `<`, `>` and `&` as `\u` escapes (the
/// same JSON to a parser), so no `</script>` or `<!--` can appear in it.
pub fn script_json(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(value).expect("serializes");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_its_script() {
        let text = script_json(&serde_json::json!({"id": "</script><!-- & x"}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["id"], "</script><!-- & x");
    }
}
