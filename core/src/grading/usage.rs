//! Tokens a grading used and what it probably cost.

use super::provider::ProviderKind;
use serde::{Deserialize, Serialize};

/// Token counts as the provider reported them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Input tokens billed at the normal rate.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Input tokens read from the provider's prompt cache.
    pub cache_read_tokens: u64,
    /// Input tokens written to the provider's prompt cache.
    pub cache_write_tokens: u64,
    /// The cost the provider itself reported (OpenRouter), in US dollars.
    pub reported_cost: Option<f64>,
}

impl Usage {
    /// Adds later counts (streams report usage in pieces; the latest cumulative value wins).
    pub fn merge(&mut self, other: Usage) {
        let keep = |a: &mut u64, b: u64| {
            if b > 0 {
                *a = b;
            }
        };
        keep(&mut self.input_tokens, other.input_tokens);
        keep(&mut self.output_tokens, other.output_tokens);
        keep(&mut self.cache_read_tokens, other.cache_read_tokens);
        keep(&mut self.cache_write_tokens, other.cache_write_tokens);
        if other.reported_cost.is_some() {
            self.reported_cost = other.reported_cost;
        }
    }

    /// The counts of two requests together (a grading and its repair).
    pub fn plus(self, other: Usage) -> Usage {
        Usage {
            input_tokens: self.input_tokens + other.input_tokens,
            output_tokens: self.output_tokens + other.output_tokens,
            cache_read_tokens: self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens: self.cache_write_tokens + other.cache_write_tokens,
            reported_cost: match (self.reported_cost, other.reported_cost) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
            },
        }
    }

    /// Every token counted.
    pub fn total(&self) -> u64 {
        self.input_tokens + self.output_tokens + self.cache_read_tokens + self.cache_write_tokens
    }
}

/// Published list prices, US dollars per million tokens: (model, input, output). Cache reads bill
/// at a tenth of input and cache writes at 1.25× on Anthropic; OpenAI bills cached input at a tenth.
const PRICES: &[(ProviderKind, &str, f64, f64)] = &[
    (ProviderKind::Anthropic, "claude-sonnet-5", 2.0, 10.0),
    (ProviderKind::Anthropic, "claude-haiku-4-5", 1.0, 5.0),
    (ProviderKind::Anthropic, "claude-opus-5-5", 4.0, 20.0),
    (ProviderKind::OpenAi, "gpt-5-mini", 0.25, 2.0),
    (ProviderKind::OpenAi, "gpt-5.4-mini", 0.75, 4.5),
    (ProviderKind::OpenAi, "gpt-5.4", 2.5, 15.0),
];

/// What a grading cost, as far as we can tell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cost {
    /// Reported by the provider.
    Reported(f64),
    /// Estimated from list prices.
    Estimated(f64),
    /// Free: the model runs on the learner's machine.
    Local,
    /// Unknown: a model missing from our price list.
    Unknown,
}

impl Cost {
    /// "$0.0123 (estimated)", "free (runs on your machine)"…
    pub fn describe(&self) -> String {
        match self {
            Cost::Reported(c) => format!("${c:.4} (reported by the provider)"),
            Cost::Estimated(c) => format!("about ${c:.4} (estimated from list prices)"),
            Cost::Local => "free (runs on your machine)".into(),
            Cost::Unknown => "unknown (this model is not in the site's price list)".into(),
        }
    }
}

/// "2,600 tokens in (2,048 from cache), 314 out · about $0.0008 (estimated from list prices)".
pub fn describe(provider: ProviderKind, model: &str, usage: &Usage) -> String {
    let cached = if usage.cache_read_tokens > 0 {
        format!(" ({} from cache)", thousands(usage.cache_read_tokens))
    } else {
        String::new()
    };
    format!(
        "{} tokens in{cached}, {} out · {}",
        thousands(usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens),
        thousands(usage.output_tokens),
        cost(provider, model, usage).describe()
    )
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The cost of a grading.
pub fn cost(provider: ProviderKind, model: &str, usage: &Usage) -> Cost {
    if let Some(c) = usage.reported_cost {
        return Cost::Reported(c);
    }
    if provider.is_local() {
        return Cost::Local;
    }
    let model = model.trim();
    let Some((_, _, input, output)) = PRICES.iter().find(|(p, m, _, _)| {
        *p == provider && (model == *m || model.starts_with(&format!("{m}-20")))
    }) else {
        return Cost::Unknown;
    };
    let (read, write) = if provider == ProviderKind::Anthropic {
        (0.1, 1.25)
    } else {
        (0.1, 1.0)
    };
    let per = |tokens: u64, rate: f64| tokens as f64 * rate / 1_000_000.0;
    Cost::Estimated(
        per(usage.input_tokens, *input)
            + per(usage.output_tokens, *output)
            + per(usage.cache_read_tokens, input * read)
            + per(usage.cache_write_tokens, input * write),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_reads_as_a_sentence() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        let u = Usage {
            input_tokens: 180,
            output_tokens: 314,
            cache_read_tokens: 2400,
            ..Usage::default()
        };
        assert_eq!(
            describe(ProviderKind::Ollama, "qwen3:8b", &u),
            "2,580 tokens in (2,400 from cache), 314 out · free (runs on your machine)"
        );
    }

    #[test]
    fn costs() {
        let u = Usage {
            input_tokens: 1_000,
            output_tokens: 2_000,
            cache_read_tokens: 10_000,
            cache_write_tokens: 0,
            reported_cost: None,
        };
        // 1000×2 + 2000×10 + 10000×0.2 = 24000 per million.
        assert_eq!(
            cost(ProviderKind::Anthropic, "claude-sonnet-5", &u),
            Cost::Estimated(0.024)
        );
        assert_eq!(
            cost(ProviderKind::Anthropic, "claude-mystery", &u),
            Cost::Unknown
        );
        assert_eq!(cost(ProviderKind::Ollama, "qwen3:8b", &u), Cost::Local);
        assert_eq!(
            cost(
                ProviderKind::OpenRouter,
                "x",
                &Usage {
                    reported_cost: Some(0.5),
                    ..u
                }
            ),
            Cost::Reported(0.5)
        );
        assert_eq!(
            Cost::Estimated(0.024).describe(),
            "about $0.0240 (estimated from list prices)"
        );
    }

    #[test]
    fn later_usage_wins() {
        let mut u = Usage {
            input_tokens: 100,
            output_tokens: 1,
            ..Usage::default()
        };
        u.merge(Usage {
            output_tokens: 250,
            ..Usage::default()
        });
        assert_eq!(
            (u.input_tokens, u.output_tokens, u.total()),
            (100, 250, 350)
        );
    }
}
