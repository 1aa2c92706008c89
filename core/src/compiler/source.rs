//! A content file in memory: its text, its path, and the mapping from byte offsets to line and column.

use super::diagnostics::Diagnostic;

/// A file being compiled.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the content folder, with `/` separators.
    pub path: String,
    /// The file's text (a leading byte-order mark removed, line endings kept).
    pub text: String,
    line_starts: Vec<usize>,
}

/// A file split into its TOML front matter and its Markdown body, with their offsets in the file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The TOML between the `+++` lines.
    pub front_matter: &'a str,
    /// Byte offset of the front matter in the file.
    pub front_matter_offset: usize,
    /// The Markdown after the closing `+++` line.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

impl SourceFile {
    /// Wraps a file's text.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let mut text: String = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line + 1, column)
    }

    /// The text of the 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .line_starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// A diagnostic at a byte offset of this file.
    pub fn error_at(
        &self,
        offset: usize,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(offset);
        Diagnostic {
            path: self.path.clone(),
            line,
            column,
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// Splits `+++` front matter from the body. A file without it is an error at line 1.
    pub fn split_front_matter(&self) -> Result<Split<'_>, Diagnostic> {
        let text = self.text.as_str();
        let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
        if text[..first_end].trim_end() != "+++" {
            return Err(self.error_at(
                0,
                "the file does not start with a `+++` front matter line",
                "put the TOML front matter between two lines that hold only `+++` at the top of the file",
            ));
        }
        let mut offset = first_end;
        while offset < text.len() {
            let end = text[offset..]
                .find('\n')
                .map_or(text.len(), |i| offset + i + 1);
            if text[offset..end].trim_end() == "+++" {
                return Ok(Split {
                    front_matter: &text[first_end..offset],
                    front_matter_offset: first_end,
                    body: &text[end..],
                    body_offset: end,
                });
            }
            offset = end;
        }
        Err(self.error_at(
            0,
            "the front matter opened by `+++` on line 1 is never closed",
            "add a line holding only `+++` after the last front matter field",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let f = SourceFile::new("x.md", "ab\ncé d\n\nz");
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.position(3), (2, 1));
        assert_eq!(f.position(7), (2, 4)); // after "cé " (é is two bytes)
        assert_eq!(f.position(10), (4, 1));
        assert_eq!(f.line_text(2), "cé d");
    }

    #[test]
    fn splits_front_matter_with_crlf_and_bom() {
        let f = SourceFile::new("x.md", "\u{feff}+++\r\na = 1\r\n+++\r\nbody\r\n");
        let s = f.split_front_matter().unwrap();
        assert_eq!(s.front_matter, "a = 1\r\n");
        assert_eq!(s.body, "body\r\n");
        assert_eq!(f.position(s.body_offset), (3 + 1, 1));
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_an_error() {
        let e = SourceFile::new("x.md", "# Title\n")
            .split_front_matter()
            .unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.problem.contains("does not start"));
        let e = SourceFile::new("x.md", "+++\na = 1\n")
            .split_front_matter()
            .unwrap_err();
        assert!(e.problem.contains("never closed"));
    }
}
