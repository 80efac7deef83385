//! `#[promql_tests("dir")]`: discovers test files at build time and generates the test binary's `main`.
//!
//! The attribute goes on `fn main() {}` of a `harness = false` test target. At build time it walks
//! `CARGO_MANIFEST_DIR/dir`, embeds every test file ([`files`]) with `include_str!` (absolute
//! paths, so an edit rebuilds) and emits `fn main() -> std::process::ExitCode` that hands the list
//! of `(path relative to dir, contents)` to the runtime's hidden `__private::run_main`, which also
//! re-scans the directory at run time. The runtime is named as the user's `Cargo.toml` names it
//! ([`manifest`]), so a renamed dependency works. YAML files (rule tests) also expand to the
//! runtime's `__private::require_rule_tests!`, a compile error unless its `rule-tests` feature is
//! on. This crate does not depend on the runtime.

mod files;
mod manifest;

use std::path::Path;

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::{quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::{parse::Parser, Expr, ExprAssign, ExprLit, ItemFn, Lit, LitStr, Token};

use files::FileKind;

const USAGE: &str = "use it as `#[promql_tests(\"dir\")]` on `fn main() {}` of a `harness = false` test target, with `dir` relative to the crate's Cargo.toml";

/// Turns `fn main` of a `harness = false` test target into a runner of every test file under `dir`
/// (a string literal, relative to `CARGO_MANIFEST_DIR`). `crate = "name"` names the runtime
/// when the manifest cannot tell (it is found by its package name otherwise).
/// `prometheus = "2.53"` runs the tests with the semantics of that Prometheus release (`2.42`,
/// `2.53`, `3.5`, `latest`; the environment variable `PROMTEST_PROMETHEUS_VERSION` wins).
#[proc_macro_attribute]
pub fn promql_tests(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    match expand(attr.into(), item.clone()) {
        Ok(ts) => ts.into(),
        Err(e) => {
            // Keep the item (or a plain `fn main` in place of a misdeclared one) so the only
            // error the user sees is ours.
            let mut out = e.to_compile_error();
            match syn::parse2::<ItemFn>(item.clone()) {
                Ok(f) if f.sig.ident == "main" => out.extend(quote! { fn main() {} }),
                _ => out.extend(item),
            }
            out.into()
        }
    }
}

fn error(span: Span, msg: impl std::fmt::Display) -> syn::Error {
    syn::Error::new(span, format!("{msg}; {USAGE}"))
}

/// The attribute's arguments: the directory and, optionally, `crate = "path"` and
/// `prometheus = "2.53"`.
struct Args {
    dir: LitStr,
    krate: Option<LitStr>,
    prometheus: Option<LitStr>,
}

/// A string literal, or the error `what` explains.
fn string_literal(e: Expr, what: &str) -> syn::Result<LitStr> {
    match e {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s),
        other => Err(error(syn::spanned::Spanned::span(&other), what)),
    }
}

/// The arguments: one string literal (the directory), then an optional `crate = "name"`.
fn parse_args(attr: proc_macro2::TokenStream) -> syn::Result<Args> {
    let span = Span::call_site();
    let args = Punctuated::<Expr, Token![,]>::parse_terminated
        .parse2(attr)
        .map_err(|e| {
            error(
                e.span(),
                "#[promql_tests] takes one string literal, the test directory",
            )
        })?;
    let mut it = args.into_iter();
    let first = it
        .next()
        .ok_or_else(|| error(span, "#[promql_tests] needs the test directory"))?;
    let dir = string_literal(
        first,
        "the test directory must be a string literal such as \"tests/promql\"",
    )?;
    let mut krate = None;
    let mut prometheus = None;
    for extra in it {
        match extra {
            Expr::Assign(ExprAssign { left, right, .. })
                if matches!(&*left, Expr::Path(p) if p.path.is_ident("prometheus"))
                    && prometheus.is_none() =>
            {
                prometheus = Some(string_literal(
                    *right,
                    "`prometheus = ...` takes a string literal naming a Prometheus release, such as \"2.53\"",
                )?);
            }
            Expr::Assign(ExprAssign { left, right, .. })
                if matches!(&*left, Expr::Path(p) if p.path.is_ident("crate")) && krate.is_none() =>
            {
                krate = Some(string_literal(
                    *right,
                    "`crate = ...` takes a string literal naming the runtime, such as \"promtest_runtime\"",
                )?);
            }
            other => {
                return Err(error(
                    syn::spanned::Spanned::span(&other),
                    "#[promql_tests] takes exactly one argument, the test directory (and optionally `crate = \"name\"`)",
                ))
            }
        }
    }
    Ok(Args {
        dir,
        krate,
        prometheus,
    })
}

/// The path the generated code names the runtime by: `crate = "…"`, else the name the
/// crate's manifest gives `promtest-runtime`.
fn runtime_path(krate: Option<&LitStr>, manifest: &Path) -> syn::Result<proc_macro2::TokenStream> {
    let name = match krate {
        Some(k) => k.value(),
        None => manifest::runtime_crate_name(manifest),
    };
    let path: syn::Path = syn::parse_str(&name).map_err(|_| {
        error(
            krate.map_or_else(Span::call_site, LitStr::span),
            format!("`{name}` is not a crate path"),
        )
    })?;
    Ok(if path.leading_colon.is_some() || name == "crate" {
        quote!(#path)
    } else {
        quote!(::#path)
    })
}

/// The extensions of promqltest scripts, for the runtime's run-time scan (one list, here).
#[doc(hidden)]
#[proc_macro]
pub fn __script_extensions(_: TokenStream) -> TokenStream {
    let exts = files::SCRIPT_EXTENSIONS;
    quote!(&[#(#exts),*]).into()
}

/// The extensions of YAML test files (rule tests and rule files), for the runtime's scan.
#[doc(hidden)]
#[proc_macro]
pub fn __yaml_extensions(_: TokenStream) -> TokenStream {
    let exts = files::YAML_EXTENSIONS;
    quote!(&[#(#exts),*]).into()
}

fn expand(
    attr: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> syn::Result<proc_macro2::TokenStream> {
    let args = parse_args(attr)?;
    let dir_lit = &args.dir;
    let func: ItemFn = syn::parse2(item).map_err(|e| {
        error(
            e.span(),
            "#[promql_tests] must be placed on a function `fn main() {}`",
        )
    })?;
    let sig = &func.sig;
    if sig.ident != "main" {
        return Err(error(
            sig.ident.span(),
            format!(
                "#[promql_tests] must be placed on `fn main`, not on `fn {}`",
                sig.ident
            ),
        ));
    }
    if !sig.inputs.is_empty() {
        return Err(error(
            syn::spanned::Spanned::span(&sig.inputs),
            "`fn main` must take no arguments",
        ));
    }
    if !matches!(sig.output, syn::ReturnType::Default) {
        return Err(error(
            syn::spanned::Spanned::span(&sig.output),
            "remove the return type of `fn main`: the generated main returns `std::process::ExitCode`",
        ));
    }
    if sig.asyncness.is_some() || !sig.generics.params.is_empty() {
        return Err(error(
            sig.ident.span(),
            "`fn main` must be a plain, non-async, non-generic function",
        ));
    }
    let manifest = std::env::var("CARGO_MANIFEST_DIR").map_err(|_| {
        error(
            dir_lit.span(),
            "CARGO_MANIFEST_DIR is not set (build with cargo)",
        )
    })?;
    let manifest = Path::new(&manifest);
    let rt = runtime_path(args.krate.as_ref(), manifest)?;
    // Messages name the directory as the user wrote it (relative to Cargo.toml), never the
    // absolute path, which depends on the machine and the target directory.
    let shown = dir_lit.value();
    let dir = manifest.join(&shown);
    if !dir.is_dir() {
        return Err(error(
            dir_lit.span(),
            format!(
                "test directory \"{shown}\" not found (it is relative to the crate's Cargo.toml)"
            ),
        ));
    }
    let found = files::find(&dir);
    if found.is_empty() {
        return Err(error(
            dir_lit.span(),
            format!(
                "no test files (.test scripts or .yml/.yaml rule tests) found under \"{shown}\""
            ),
        ));
    }
    let names = found.iter().map(|f| &f.name);
    let paths = found.iter().map(|f| f.path.to_string_lossy().into_owned());
    let yaml: Vec<&String> = found
        .iter()
        .filter(|f| f.kind == FileKind::Yaml)
        .map(|f| &f.name)
        .collect();
    // A compile error pointing at the directory when the runtime lacks rule tests.
    let require = (!yaml.is_empty()).then(|| {
        quote_spanned! {dir_lit.span()=>
            #rt::__private::require_rule_tests!(#(#yaml),*);
        }
    });
    let dir_str = dir.to_string_lossy().into_owned();
    let attrs = &func.attrs;
    let vis = &func.vis;
    let stmts = &func.block.stmts;
    let version = match &args.prometheus {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    Ok(quote! {
        #(#attrs)*
        #vis fn main() -> ::std::process::ExitCode {
            #require
            #(#stmts)*
            #rt::__private::run_main(
                #dir_str,
                &[#((#names, ::core::include_str!(#paths))),*],
                #version,
            )
        }
    })
}
