//! `hld report`: the HTML is one self-contained page (read back by Chromium, which must
//! fetch nothing) holding the diagram, the estimates' figures, every finding and every
//! `@allow` reason; the Markdown has the same sections and its diagram beside it.

use std::path::{Path, PathBuf};

use crate::common::{hld, required};
use hld::analysis::estimate::{Estimates, human_rate};
use hld::analysis::facts::Facts;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A design with flows, scenarios and `@allow`s, and one with many findings.
const DESIGNS: [&str; 2] = ["designs/ride-hailing.hld", "examples/export/escapes.hld"];

const SECTIONS: [&str; 6] = [
    "Requirements",
    "Diagram",
    "Estimates",
    "Findings",
    "Decision log",
    "Assumptions",
];

/// What the report of `design` must say: every finding (its rule and message, as the
/// page shows it), every `@allow` reason, every component's estimated peak.
fn expected_texts(design: &str) -> Vec<String> {
    let check = hld(&["check", design, "--format", "json"], root());
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let mut texts = Vec::new();
    for diagnostic in json["diagnostics"].as_array().unwrap() {
        texts.push(diagnostic["code"].as_str().unwrap().to_owned());
        // Backticks become code elements: the page shows the text without them.
        texts.push(diagnostic["message"].as_str().unwrap().replace('`', ""));
    }
    let mut compilation = hld::compile_file(hld::source::Origin::File(root().join(design)));
    hld::Lint::lint(&mut compilation, hld::analysis::Settings::default());
    let model = &compilation.model;
    for allow in &model.allows {
        texts.push(allow.reason.clone().expect("the designs give reasons"));
    }
    let facts = Facts::new(model);
    let estimates = Estimates::new(model, &facts);
    for estimate in &estimates.components {
        if let Some(rate) = estimate.inbound {
            texts.push(human_rate(rate.peak));
        }
    }
    texts
}

fn report(design: &str, out: &Path) {
    let output = hld(&["report", design, "-o", out.to_str().unwrap()], root());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_html_report_holds_everything_and_fetches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for design in DESIGNS {
        let out = dir.path().join("report.html");
        report(design, &out);
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<figure class=\"diagram\">\n<svg"));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "{design}: no URL at all in the page"
        );
        assert!(!html.contains("<script"), "{design}: no script");
        let text = visible_text(&html);
        for expected in expected_texts(design) {
            assert!(
                text.contains(&expected),
                "{design}: the report says `{expected}`"
            );
        }
    }
}

/// The page's text, roughly as a reader sees it: tags dropped, entities decoded.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_markdown_report_has_the_same_sections_and_its_diagram_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    for design in DESIGNS {
        let out = dir.path().join("review.md");
        report(design, &out);
        let markdown = std::fs::read_to_string(&out).unwrap();
        let headings: Vec<&str> = markdown
            .lines()
            .filter_map(|l| l.strip_prefix("## "))
            .collect();
        for section in SECTIONS {
            assert!(headings.contains(&section), "{design}: ## {section}");
        }
        assert!(markdown.contains("](<review.svg>)"));
        let svg = std::fs::read_to_string(dir.path().join("review.svg")).unwrap();
        roxmltree::Document::parse(&svg).expect("the diagram beside it is an SVG");
        for expected in expected_texts(design) {
            assert!(
                markdown.replace(['`', '\\'], "").contains(&expected),
                "{design}: the Markdown says `{expected}`"
            );
        }
    }
}

/// `hld report DESIGN -o OUT`, which reports (exit 0, or 1 for the design's errors).
fn report_to(design: &Path, out: &Path, dir: &Path) {
    let output = hld(
        &[
            "report",
            design.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        dir,
    );
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Past 2,000 components the report leaves its diagram out and says why: a design of
/// 100,000 took 6 minutes and 4 GB to report, all but seconds of it the layout.
#[test]
fn a_design_too_large_to_draw_is_reported_without_its_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("large.hld");
    let limit = hld::output::report::DIAGRAM_LIMIT;
    let mut text = String::from("client u { rate: 10/s }\n");
    for i in 0..limit {
        text.push_str(&format!("service s{i} {{ replicas: 2 }}\nu -> s{i}\n"));
    }
    std::fs::write(&design, text).unwrap();
    let (html, markdown) = (dir.path().join("r.html"), dir.path().join("r.md"));
    for out in [&html, &markdown] {
        report_to(&design, out, dir.path());
    }
    let said = format!(
        "The design has {} components, more than the {limit} a report draws",
        limit + 1
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains(&said) && !page.contains("<svg"),
        "no diagram in the page"
    );
    let markdown = std::fs::read_to_string(&markdown).unwrap();
    assert!(markdown.contains(&said), "the Markdown says why");
    assert!(!dir.path().join("r.svg").exists(), "no diagram beside it");
}

#[test]
fn a_markdown_report_to_stdout_is_refused_as_is_an_output_over_the_design() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("d.hld");
    std::fs::write(&design, "client users\nservice api\nusers -> api\n").unwrap();
    let stdout = hld(
        &["report", "d.hld", "--format", "markdown", "-o", "-"],
        dir.path(),
    );
    assert_eq!(stdout.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stdout.stderr).contains("-o OUT.md"));
    let over = hld(&["report", "d.hld", "-o", "d.hld"], dir.path());
    assert_eq!(over.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&design).unwrap(),
        "client users\nservice api\nusers -> api\n"
    );
    // By default, the page beside the design; Markdown with its diagram.
    assert!(hld(&["report", "d.hld"], dir.path()).status.success());
    assert!(dir.path().join("d.html").exists());
    let markdown = hld(&["report", "d.hld", "--format", "markdown"], dir.path());
    assert!(markdown.status.success());
    assert!(dir.path().join("d.md").exists() && dir.path().join("d.svg").exists());
}

#[test]
fn chromium_shows_the_report_without_fetching_anything() {
    let Some(chromium) = required(crate::common::browser()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let design = DESIGNS[0];
    let page = dir.path().join("report.html");
    report(design, &page);
    let expected = serde_json::json!({
        "headings": SECTIONS,
        "texts": expected_texts(design),
    });
    let expected_file = dir.path().join("expected.json");
    std::fs::write(&expected_file, expected.to_string()).unwrap();
    let shot = dir.path().join("shot.png");
    crate::common::node(
        root().join("tests/browser/report.mjs"),
        &[page, expected_file, shot.clone(), chromium],
        &root().join("tests/browser"),
    );
    // Not blank: a good share of the page is ink, not background.
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let inked = pixels[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[..3].iter().any(|&c| c < 200))
        .count();
    let total = (info.width * info.height) as usize;
    assert!(
        inked * 100 > total,
        "the screenshot is not blank: {inked} of {total} pixels inked"
    );
}

/// What a design's author can write into free text, aimed at every construct of the
/// report's Markdown and HTML (hardening, second round).
pub(crate) const PAYLOADS: &[&str] = &[
    "<!-- the rest of the document disappears",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![pixel](https://example.com/track.png)",
    "<https://example.com/away>",
    "close ``code` spans and `quote` them",
    "a | b | c",
    "%%{init: {\"theme\": \"dark\"}}%%",
];

/// A design with each payload in an `@allow` reason, its title, and a finding that
/// quotes the design's text (an unknown engine with a backtick in it).
fn hostile_design(dir: &Path) -> PathBuf {
    let mut text = format!(
        "design \"{}\" {{ description: \"{}\" }}\n",
        PAYLOADS[0], PAYLOADS[2]
    );
    for (index, payload) in PAYLOADS.iter().enumerate() {
        let reason = payload.replace('"', "\\\"");
        text.push_str(&format!(
            "@allow(no-backup, \"{reason}\")\ndatabase d{index} {{ engine: \"pg`sql <b>{index}\" }}\n"
        ));
    }
    let path = dir.join("hostile.hld");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_design_s_text_is_text_in_the_markdown_and_the_html_report() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let dir = tempfile::tempdir().unwrap();
    let design = hostile_design(dir.path());
    let markdown_path = dir.path().join("review.md");
    let html_path = dir.path().join("review.html");
    for out in [&markdown_path, &html_path] {
        report_to(&design, out, dir.path());
    }
    let markdown = std::fs::read_to_string(&markdown_path).unwrap();
    for event in Parser::new_ext(&markdown, Options::ENABLE_TABLES) {
        match &event {
            Event::Html(raw) | Event::InlineHtml(raw) => {
                panic!("raw HTML {raw:?} in the Markdown report")
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert!(dest_url.starts_with('#'), "a link to {dest_url}")
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                assert!(!dest_url.starts_with("http"), "an image from {dest_url}")
            }
            _ => {}
        }
    }
    // Every reason is in the decision log, whole.
    let shown: String = Parser::new_ext(&markdown, Options::ENABLE_TABLES)
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    for payload in PAYLOADS {
        assert!(shown.contains(payload), "{payload:?} is not shown as text");
    }
    let html = std::fs::read_to_string(&html_path).unwrap();
    // The payloads are shown as text; none is markup.
    for bad in [
        "href=\"javascript",
        "href=\"http",
        "src=\"http",
        "<script",
        "<!--",
        "<b>",
    ] {
        assert!(!html.contains(bad), "{bad} in the HTML report");
    }
}

#[test]
fn the_estimate_s_markdown_heading_is_text() {
    use pulldown_cmark::{Event, Parser};
    let dir = tempfile::tempdir().unwrap();
    let design = hostile_design(dir.path());
    let output = hld(
        &["estimate", "--format", "markdown", design.to_str().unwrap()],
        dir.path(),
    );
    let markdown = String::from_utf8_lossy(&output.stdout);
    for event in Parser::new(&markdown) {
        assert!(
            !matches!(event, Event::Html(_) | Event::InlineHtml(_)),
            "{event:?} in {markdown}"
        );
    }
    assert!(markdown.contains("<\\!\\-\\- the rest"), "{markdown}");
}
