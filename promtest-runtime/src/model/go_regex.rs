//! Go `regexp` (RE2) syntax rewritten for the `regex` crate where the two read the same
//! text differently: a `{` that does not start a repetition (`{n}`, `{n,}`, `{n,m}`) is a
//! literal in Go; `\d`, `\w`, `\s`, `\b` are ASCII-only in Go; inside a class, `[` (other than
//! `[:name:]`), `&`, `-` runs and `~` are literals in Go but nesting or set operators here.

/// Go's ASCII `\d`, `\w`, `\s` class bodies and the negated forms' letters.
fn perl_class(c: char) -> Option<(&'static str, bool)> {
    match c {
        'd' => Some(("0-9", false)),
        'D' => Some(("0-9", true)),
        'w' => Some(("0-9A-Za-z_", false)),
        'W' => Some(("0-9A-Za-z_", true)),
        's' => Some(("\\t\\n\\f\\r ", false)),
        'S' => Some(("\\t\\n\\f\\r ", true)),
        _ => None,
    }
}

/// Whether `rest` (just after a `{`) is a repetition Go accepts: `n}`, `n,}` or `n,m}`.
fn is_repeat(rest: &[char]) -> bool {
    let digits = |s: &[char]| s.iter().take_while(|c| c.is_ascii_digit()).count();
    let n = digits(rest);
    if n == 0 {
        return false;
    }
    match rest.get(n) {
        Some('}') => true,
        Some(',') => {
            let m = digits(&rest[n + 1..]);
            rest.get(n + 1 + m) == Some(&'}')
        }
        _ => false,
    }
}

/// Copies an escape's `{…}` argument (`\p{Greek}`, `\x{41}`) starting at `i` (the `{`);
/// returns the index after it.
fn copy_braced(chars: &[char], mut i: usize, out: &mut String) -> usize {
    while i < chars.len() {
        out.push(chars[i]);
        i += 1;
        if chars[i - 1] == '}' {
            break;
        }
    }
    i
}

/// Rewrites Go regexp syntax `pattern` into the equivalent `regex` crate syntax. Patterns
/// Go rejects may come out accepted or rejected; patterns Go accepts mean the same after.
pub fn translate(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    // Whether the next char is the first of a class body (where `]` is a literal).
    let mut class_start = false;
    while i < chars.len() {
        let c = chars[i];
        let first = class_start;
        class_start = false;
        if c == '\\' {
            let Some(&e) = chars.get(i + 1) else {
                out.push(c);
                break;
            };
            i += 2;
            if let Some((body, neg)) = perl_class(e) {
                match (in_class, neg) {
                    (false, false) => out.push_str(&format!("[{body}]")),
                    (false, true) => out.push_str(&format!("[^{body}]")),
                    (true, false) => out.push_str(body),
                    (true, true) => out.push_str(&format!("[^{body}]")),
                }
            } else if !in_class && matches!(e, 'b' | 'B') {
                out.push_str(&format!("(?-u:\\{e})"));
            } else {
                out.push('\\');
                out.push(e);
                if matches!(e, 'p' | 'P' | 'x') && chars.get(i) == Some(&'{') {
                    i = copy_braced(&chars, i, &mut out);
                }
            }
            continue;
        }
        if in_class {
            match c {
                ']' if !first => {
                    in_class = false;
                    out.push(c);
                }
                '[' if chars.get(i + 1) == Some(&':') => {
                    // `[:alpha:]` copied whole.
                    let end = chars[i + 2..]
                        .windows(2)
                        .position(|w| w == [':', ']'])
                        .map(|p| i + 2 + p + 2);
                    match end {
                        Some(end) => {
                            out.extend(&chars[i..end]);
                            i = end;
                            continue;
                        }
                        None => out.push_str("\\["),
                    }
                }
                '[' | '&' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                '-' if chars.get(i + 1) == Some(&'-') => out.push_str("\\-"),
                _ => out.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                class_start = true;
            }
            '{' if is_repeat(&chars[i + 1..]) => {
                i = copy_braced(&chars, i, &mut out);
                continue;
            }
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::translate;
    use regex::Regex;

    fn re(p: &str) -> Regex {
        Regex::new(&translate(p)).unwrap()
    }

    #[test]
    fn brace_without_repetition_is_literal() {
        assert_eq!(translate(" {.*}$"), " \\{.*\\}$");
        let r = re(" {.*}$");
        assert_eq!(r.replace_all("Peering: x {#id}", ""), "Peering: x");
        assert!(re("a{2}").is_match("aa") && !re("^a{2}$").is_match("a"));
        assert!(re("^a{1,}$").is_match("aaa"));
        assert!(re("^a{1,2}$").is_match("aa"));
        assert!(re("^a{,2}$").is_match("a{,2}"));
        assert!(re("^x{y}$").is_match("x{y}"));
    }

    #[test]
    fn perl_classes_are_ascii() {
        assert!(re("^\\d+$").is_match("123"));
        assert!(!re("^\\d$").is_match("٣"));
        assert!(!re("^\\w$").is_match("é"));
        assert!(re("^\\W$").is_match("é"));
        assert!(re("^[\\d_]+$").is_match("1_2"));
        assert!(re("^[\\Da]$").is_match("a") && re("^[\\Da]$").is_match("x"));
        assert!(!re("^[\\D]$").is_match("1"));
        assert!(re("^\\s$").is_match("\t") && !re("^\\s$").is_match("\u{a0}"));
        assert!(re("\\bfoo\\b").is_match("a foo b"));
    }

    #[test]
    fn class_literals_go_reads_plainly() {
        assert!(re("^[[]$").is_match("["));
        assert!(re("^[a&&b]+$").is_match("a&b"));
        assert!(re("^[]a]+$").is_match("]a"));
        assert!(re("^[^]a]$").is_match("b"));
        assert!(re("^[[:digit:]x]+$").is_match("1x"));
        assert!(re("^[a~]+$").is_match("~a"));
        assert!(re("^[--a]+$").is_match("-a0"));
    }

    #[test]
    fn escapes_with_braces_are_kept() {
        assert!(re("^\\p{Greek}$").is_match("α"));
        assert!(re("^\\x{41}$").is_match("A"));
        assert!(re("^\\{\\}$").is_match("{}"));
    }
}
