//! `--format github`: workflow commands that GitHub Actions shows as annotations
//! (`::error file=…,line=…,col=…,title=…::message`).

use super::to_json;
use hld_syntax::diagnostics::{Diagnostic, Severity};
use hld_syntax::source::Sources;

pub fn github_report(findings: &[(&Sources, &Diagnostic)]) -> String {
    let mut out = String::new();
    for (sources, diagnostic) in findings {
        let d = to_json(sources, diagnostic);
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.to_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&d.file.to_string()),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            escape_property(&format!("hld {}", d.code)),
            escape_data(&message),
        ));
    }
    out
}

/// Escapes a message as GitHub's workflow commands require.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`), where `:` and `,` are separators too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_githubs_rules() {
        assert_eq!(escape_data("100% done\nnext"), "100%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
