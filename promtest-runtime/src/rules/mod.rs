//! Prometheus rule files and their evaluation: groups of recording and alerting rules
//! ([`file`]), `check rules` ([`check`]), the alert state machine ([`alerting`]), one group's evaluation tick ([`group`]),
//! alert templates ([`template`]) and the positioned YAML tree the formats are read with ([`yaml`]).

pub mod alerting;
pub mod check;
pub mod dependencies;
pub mod file;
pub mod group;
pub mod template;
pub mod yaml;

pub use alerting::{AlertContext, AlertState, AlertingState};
pub use file::{parse_rule_file, RuleGroup, RuleKind};
pub use group::GroupState;
