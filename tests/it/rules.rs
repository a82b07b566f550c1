//! Every rule against its own examples: it fires on `examples/rules/<rule>.bad.hld` at
//! the element named by the file's `// expect:` line, stays silent on the good one, and
//! is silenced by `@allow` and by `hld.toml`.

use hld::Lint;
use hld::analysis::rule::{Level, Rule};
use hld::analysis::{Settings, explain, rules};
use hld::diagnostics::Severity;
use hld::{Compilation, compile};

fn lint(name: &str, text: &str, settings: Settings) -> Compilation {
    let mut compilation = compile(format!("examples/rules/{name}"), text.as_bytes().to_vec());
    let errors: Vec<&str> = compilation
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(!compilation.has_errors(), "{name} compiles: {errors:?}");
    compilation.lint(settings);
    compilation
}

fn codes(compilation: &Compilation) -> Vec<String> {
    compilation
        .diagnostics
        .iter()
        .map(|d| format!("{} ({:?})", d.code, d.element))
        .collect()
}

fn expected_element(rule: &Rule) -> &str {
    rule.bad
        .lines()
        .find_map(|line| line.strip_prefix("// expect: "))
        .unwrap_or_else(|| panic!("{}.bad.hld starts with `// expect: <element>`", rule.name))
        .trim()
}

/// The bad example with `@allow(rule)` for the whole file.
fn allowed(rule: &Rule) -> String {
    let annotation = format!("@allow({}, \"accepted in this test\")\n", rule.name);
    match rule.bad.find("design \"") {
        Some(at) => format!("{}{annotation}{}", &rule.bad[..at], &rule.bad[at..]),
        None => format!("{annotation}design \"Allowed\"\n{}", rule.bad),
    }
}

#[test]
fn every_rule_fires_on_its_bad_example_at_the_expected_element() {
    for rule in rules::ALL {
        // Rules that are off by default are enabled the way users enable them.
        let dir = tempfile::tempdir().unwrap();
        let toml = format!("[lint]\nwarn = [\"{}\"]\n", rule.name);
        std::fs::write(dir.path().join("hld.toml"), toml).unwrap();
        let config = hld::config::load(&dir.path().join("hld.toml"));
        let settings = Settings {
            config: config.config.as_ref().filter(|_| rule.level == Level::Off),
            deny_warnings: false,
        };
        let compilation = lint(&format!("{}.bad.hld", rule.name), rule.bad, settings);
        let expected = Some(expected_element(rule)).filter(|e| *e != "(design)");
        let found = compilation.diagnostics.iter().any(|d| {
            d.code == rule.name
                && d.element.as_ref().map(ToString::to_string).as_deref() == expected
        });
        assert!(
            found,
            "{} fires at `{expected:?}` on its bad example; found {:?}",
            rule.name,
            codes(&compilation)
        );
    }
}

#[test]
fn every_good_example_is_clean() {
    for rule in rules::ALL {
        let compilation = lint(
            &format!("{}.good.hld", rule.name),
            rule.good,
            Settings::default(),
        );
        let noisy: Vec<String> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info || d.code == rule.name)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(
            noisy.is_empty(),
            "{}.good.hld reports {noisy:#?}",
            rule.name
        );
    }
}

#[test]
fn allow_silences_every_rule() {
    for rule in rules::ALL.iter().filter(|r| r.name != "unused-allow") {
        let compilation = lint(
            &format!("{}.bad.hld", rule.name),
            &allowed(rule),
            Settings::default(),
        );
        let left: Vec<String> = codes(&compilation)
            .into_iter()
            .filter(|c| c.starts_with(&format!("{} ", rule.name)) || c.starts_with("unused-allow"))
            .collect();
        assert!(
            left.is_empty(),
            "@allow({}) silences it, and is used: {left:?}",
            rule.name
        );
    }
}

#[test]
fn config_turns_every_rule_off_and_can_raise_it() {
    for rule in rules::ALL {
        let dir = tempfile::tempdir().unwrap();
        let design = dir.path().join("design.hld");
        std::fs::write(&design, rule.bad).unwrap();
        for (table, expect) in [("allow", None), ("deny", Some(Severity::Error))] {
            std::fs::write(
                dir.path().join("hld.toml"),
                format!("[lint]\n{table} = [\"{}\"]\n", rule.name),
            )
            .unwrap();
            let file = hld::config::load(&dir.path().join("hld.toml"));
            assert!(file.diagnostics.is_empty());
            let settings = Settings {
                config: file.config.as_ref(),
                deny_warnings: false,
            };
            let mut compilation = hld::compile_file(&design);
            compilation.lint(settings);
            let severities: Vec<Severity> = compilation
                .diagnostics
                .iter()
                .filter(|d| d.code == rule.name)
                .map(|d| d.severity)
                .collect();
            match expect {
                None => assert!(
                    severities.is_empty(),
                    "{table} = [{}] turns it off",
                    rule.name
                ),
                Some(severity) => assert!(
                    !severities.is_empty() && severities.iter().all(|s| *s == severity),
                    "{table} = [{}] raises it: {severities:?}",
                    rule.name
                ),
            }
        }
    }
}

#[test]
fn the_rule_reference_is_in_sync() {
    let committed = std::fs::read_to_string("docs/rules.md").unwrap_or_default();
    if committed != explain::reference() {
        std::fs::write("docs/rules.md.new", explain::reference()).unwrap();
        panic!(
            "docs/rules.md is stale: review docs/rules.md.new (`hld rules --format markdown`) and move it over"
        );
    }
}

/// The rules implemented are exactly rules.md's catalog, with its categories and
/// levels (when the spec is beside the repository): the tables under each category, the
/// table of new v2 rules (whose category is a column of its own), and the levels the
/// table of changed v2 rules gives ("warning (was error)").
#[test]
fn the_catalog_matches_the_spec() {
    let Ok(spec) = std::fs::read_to_string("../shared/spec/rules.md") else {
        eprintln!("skipped: ../shared/spec/rules.md is not beside the repository");
        return;
    };
    let mut expected: Vec<(String, String, String)> = Vec::new();
    let mut changed_levels: Vec<(String, String)> = Vec::new();
    let mut section = "";
    for line in spec.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim();
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(first) = cells.get(1).filter(|c| c.starts_with('`')) else {
            continue;
        };
        let names = first
            .split(',')
            .map(|n| n.trim().trim_matches('`').to_string());
        match section {
            "v2: changed rules" => {
                if let Some((level, _)) = cells[2].split_once(" (was ") {
                    changed_levels.extend(names.map(|n| (n, level.to_string())));
                }
            }
            "v2: new rules" => {
                expected.extend(names.map(|n| (n, cells[2].to_string(), cells[3].to_string())));
            }
            category => {
                expected.extend(names.map(|n| (n, category.to_string(), cells[2].to_string())));
            }
        }
    }
    for (name, category, mut level) in expected {
        if let Some((_, changed)) = changed_levels.iter().find(|(n, _)| *n == name) {
            level = changed.clone();
        }
        assert!(
            hld::analysis::catalogue().selector(&name).is_some(),
            "rules.md names `{name}`"
        );
        if let Some(rule) = rules::find(&name) {
            assert_eq!(rule.category.as_str(), category, "{name}'s category");
            assert_eq!(rule.level.as_str(), level, "{name}'s level");
        }
    }
}

/// What each rule says on its bad example, as a user sees it: a wording change is a
/// reviewed snapshot diff.
#[test]
fn rendered_findings() {
    for rule in rules::ALL.iter().filter(|r| r.level != Level::Off) {
        let compilation = lint(
            &format!("{}.bad.hld", rule.name),
            rule.bad,
            Settings::default(),
        );
        let rendered: String = compilation
            .diagnostics
            .iter()
            .filter(|d| d.code == rule.name)
            .map(|d| hld::diagnostics::render_human(&compilation.sources, d, false))
            .collect();
        insta::assert_snapshot!(rule.name, rendered);
    }
}
