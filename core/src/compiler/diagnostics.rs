//! Content errors: each names the file, line, column, what is wrong and how to fix it.

use super::bidi::escape;
use std::fmt;

/// One problem in the content, located precisely.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the content folder, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub problem: String,
    /// How to fix it.
    pub fix: String,
}

impl fmt::Display for Diagnostic {
    /// Bidirectional controls in a path or a quoted value are shown as `<U+202E>`: the message
    /// about one must not itself be reordered on the author's terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} — {}",
            escape(&self.path),
            self.line,
            self.column,
            escape(&self.problem),
            escape(&self.fix)
        )
    }
}

impl Diagnostic {
    /// The same diagnostic with its path shown below `root` (the content folder as the user named it).
    pub fn display_under(&self, root: &str) -> String {
        let root = root.trim_end_matches('/');
        if root.is_empty() || root == "." {
            self.to_string()
        } else {
            format!("{root}/{self}")
        }
    }
}

/// Every problem found in one compile, kept in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds a problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds many problems.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorts by file, line and column and drops exact repeats, so output is stable.
    pub fn sorted(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(path: &str, line: usize) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            line,
            column: 1,
            problem: "p".into(),
            fix: "f".into(),
        }
    }

    #[test]
    fn format_is_path_line_column_problem_fix() {
        assert_eq!(d("a/b.md", 3).to_string(), "a/b.md:3:1: p — f");
        assert_eq!(
            d("a/b.md", 3).display_under("content/"),
            "content/a/b.md:3:1: p — f"
        );
        assert_eq!(d("a/b.md", 3).display_under("."), "a/b.md:3:1: p — f");
    }

    #[test]
    fn bidi_controls_in_a_message_are_shown_not_obeyed() {
        let mut x = d("a/evil\u{202E}txt.svg", 1);
        x.problem = "title `\u{2067}x`".into();
        assert_eq!(
            x.to_string(),
            "a/evil<U+202E>txt.svg:1:1: title `<U+2067>x` — f"
        );
    }

    #[test]
    fn sorted_orders_and_dedups() {
        let all = Diagnostics(vec![d("b", 1), d("a", 9), d("a", 2), d("a", 2)]).sorted();
        let lines: Vec<_> = all.0.iter().map(|d| (d.path.as_str(), d.line)).collect();
        assert_eq!(lines, [("a", 2), ("a", 9), ("b", 1)]);
    }
}
