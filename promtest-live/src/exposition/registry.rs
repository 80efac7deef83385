//! Metric families and the handles that update them: a family has a name, help, constant labels
//! and variable label names; each combination of label values is one child, created on first use
//! (or up front, to export a zero).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::histogram::{HistogramOpts, HistogramSnapshot, HistogramState};
use super::process;

/// What a family holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// Monotonic counter.
    Counter,
    /// Gauge.
    Gauge,
    /// Histogram.
    Histogram,
}

/// A family at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct FamilySnapshot {
    /// Metric name.
    pub name: String,
    /// Help text.
    pub help: String,
    /// Kind.
    pub kind: MetricKind,
    /// Children, sorted by label values.
    pub metrics: Vec<MetricSnapshot>,
}

/// One child at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricSnapshot {
    /// Labels: constant labels then variable ones, sorted by name.
    pub labels: Vec<(String, String)>,
    /// The value.
    pub value: MetricValue,
}

/// A child's value.
#[derive(Clone, Debug, PartialEq)]
pub enum MetricValue {
    /// A counter's or gauge's value.
    Number(f64),
    /// A histogram.
    Histogram(HistogramSnapshot),
}

/// A float stored in an atomic.
#[derive(Debug, Default)]
struct AtomicF64(AtomicU64);

impl AtomicF64 {
    fn add(&self, v: f64) {
        let mut cur = self.0.load(Ordering::Relaxed);
        loop {
            let next = (f64::from_bits(cur) + v).to_bits();
            match self
                .0
                .compare_exchange_weak(cur, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return,
                Err(actual) => cur = actual,
            }
        }
    }
    fn set(&self, v: f64) {
        self.0.store(v.to_bits(), Ordering::Relaxed);
    }
    fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::Relaxed))
    }
}

enum Child {
    Number(Arc<AtomicF64>),
    Histogram(Arc<Mutex<HistogramState>>),
}

struct Family {
    name: String,
    help: String,
    kind: MetricKind,
    const_labels: Vec<(String, String)>,
    label_names: Vec<String>,
    histogram: Option<HistogramOpts>,
    children: Mutex<BTreeMap<Vec<String>, Child>>,
}

impl Family {
    fn child(&self, values: &[&str]) -> Child {
        assert_eq!(
            values.len(),
            self.label_names.len(),
            "metric {}: label values do not match label names",
            self.name
        );
        let key: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        let mut children = self.children.lock().unwrap_or_else(|e| e.into_inner());
        let child = children
            .entry(key)
            .or_insert_with(|| match &self.histogram {
                Some(opts) => Child::Histogram(Arc::new(Mutex::new(HistogramState::new(opts)))),
                None => Child::Number(Arc::default()),
            });
        match child {
            Child::Number(n) => Child::Number(Arc::clone(n)),
            Child::Histogram(h) => Child::Histogram(Arc::clone(h)),
        }
    }

    fn snapshot(&self) -> FamilySnapshot {
        let children = self.children.lock().unwrap_or_else(|e| e.into_inner());
        let metrics = children
            .iter()
            .map(|(values, child)| {
                let mut labels = self.const_labels.clone();
                labels.extend(self.label_names.iter().cloned().zip(values.iter().cloned()));
                labels.sort();
                let value = match child {
                    Child::Number(n) => MetricValue::Number(n.get()),
                    Child::Histogram(h) => MetricValue::Histogram(
                        h.lock().unwrap_or_else(|e| e.into_inner()).snapshot(),
                    ),
                };
                MetricSnapshot { labels, value }
            })
            .collect();
        FamilySnapshot {
            name: self.name.clone(),
            help: self.help.clone(),
            kind: self.kind,
            metrics,
        }
    }
}

/// All metrics the process exports.
#[derive(Clone, Default)]
pub struct Registry {
    families: Arc<Mutex<Vec<Arc<Family>>>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Registry")
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Registry::default()
    }

    fn register(
        &self,
        name: &str,
        help: &str,
        kind: MetricKind,
        const_labels: &[(&str, &str)],
        label_names: &[&str],
        histogram: Option<HistogramOpts>,
    ) -> Arc<Family> {
        let family = Arc::new(Family {
            name: name.to_string(),
            help: help.to_string(),
            kind,
            const_labels: const_labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            label_names: label_names.iter().map(|s| s.to_string()).collect(),
            histogram,
            children: Mutex::default(),
        });
        self.families
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::clone(&family));
        family
    }

    /// Registers a counter family.
    pub fn counter_vec(
        &self,
        name: &str,
        help: &str,
        const_labels: &[(&str, &str)],
        label_names: &[&str],
    ) -> CounterVec {
        CounterVec(self.register(
            name,
            help,
            MetricKind::Counter,
            const_labels,
            label_names,
            None,
        ))
    }

    /// Registers a gauge with no variable labels and returns it.
    pub fn gauge(&self, name: &str, help: &str, const_labels: &[(&str, &str)]) -> Gauge {
        let family = self.register(name, help, MetricKind::Gauge, const_labels, &[], None);
        match family.child(&[]) {
            Child::Number(n) => Gauge(n),
            Child::Histogram(_) => unreachable!("gauge family has number children"),
        }
    }

    /// Registers a histogram family.
    pub fn histogram_vec(
        &self,
        name: &str,
        help: &str,
        const_labels: &[(&str, &str)],
        label_names: &[&str],
        opts: HistogramOpts,
    ) -> HistogramVec {
        HistogramVec(self.register(
            name,
            help,
            MetricKind::Histogram,
            const_labels,
            label_names,
            Some(opts),
        ))
    }

    /// Every family now, in registration order, followed by the process metrics.
    pub fn gather(&self) -> Vec<FamilySnapshot> {
        let families = self.families.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<FamilySnapshot> = families.iter().map(|f| f.snapshot()).collect();
        out.extend(process::collect());
        out
    }
}

/// A counter family; `with` picks a child.
#[derive(Clone)]
pub struct CounterVec(Arc<Family>);

impl CounterVec {
    /// The child for `values` (created at zero on first use).
    pub fn with(&self, values: &[&str]) -> Counter {
        match self.0.child(values) {
            Child::Number(n) => Counter(n),
            Child::Histogram(_) => unreachable!("counter family has number children"),
        }
    }
}

/// One counter.
#[derive(Clone)]
pub struct Counter(Arc<AtomicF64>);

impl Counter {
    /// Adds one.
    pub fn inc(&self) {
        self.0.add(1.0);
    }
    /// The current value.
    pub fn get(&self) -> f64 {
        self.0.get()
    }
}

/// One gauge.
#[derive(Clone)]
pub struct Gauge(Arc<AtomicF64>);

impl Gauge {
    /// Sets the value.
    pub fn set(&self, v: f64) {
        self.0.set(v);
    }
}

/// A histogram family; `with` picks a child.
#[derive(Clone)]
pub struct HistogramVec(Arc<Family>);

impl HistogramVec {
    /// The child for `values`.
    pub fn with(&self, values: &[&str]) -> Histogram {
        match self.0.child(values) {
            Child::Histogram(h) => Histogram(h),
            Child::Number(_) => unreachable!("histogram family has histogram children"),
        }
    }
}

/// One histogram.
#[derive(Clone)]
pub struct Histogram(Arc<Mutex<HistogramState>>);

impl Histogram {
    /// Records one observation.
    pub fn observe(&self, v: f64) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .observe(v, std::time::Instant::now());
    }
}
