//! `#[promql_tests("dir")]`: discovers test files at build time and generates the test binary's `main`.
//!
//! The attribute goes on `fn main() {}` of a `harness = false` test target. At build time it walks
//! `CARGO_MANIFEST_DIR/dir`, embeds every test file with `include_str!` (absolute paths, so an
//! edit rebuilds) and emits `fn main() -> std::process::ExitCode` that hands the list of
//! `(path relative to dir, contents)` to `promtest_runtime::harness::run_main`, which also
//! re-scans the directory at run time. This crate does not depend on the runtime.

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{parse::Parser, Expr, ExprLit, ItemFn, Lit, LitStr, Token};

/// Extensions of the files the macro embeds (promqltest scripts; rule-test YAML and the rule
/// files beside them, told apart at run time).
const EMBEDDED_EXTENSIONS: &[&str] = &["test", "yml", "yaml"];

const USAGE: &str = "use it as `#[promql_tests(\"dir\")]` on `fn main() {}` of a `harness = false` test target, with `dir` relative to the crate's Cargo.toml";

/// Turns `fn main` of a `harness = false` test target into a runner of every test file under `dir`
/// (a string literal, relative to `CARGO_MANIFEST_DIR`).
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

/// The directory argument: exactly one string literal.
fn parse_dir(attr: proc_macro2::TokenStream) -> syn::Result<LitStr> {
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
    if let Some(extra) = it.next() {
        return Err(error(
            syn::spanned::Spanned::span(&extra),
            "#[promql_tests] takes exactly one argument, the test directory",
        ));
    }
    match first {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s),
        other => Err(error(
            syn::spanned::Spanned::span(&other),
            "the test directory must be a string literal such as \"tests/promql\"",
        )),
    }
}

/// The embeddable files under `dir`, sorted, as (name relative to `dir`, absolute path).
fn find_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| EMBEDDED_EXTENSIONS.contains(&x))
        })
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (name, e.path().to_path_buf())
        })
        .collect();
    out.sort();
    out
}

fn expand(
    attr: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> syn::Result<proc_macro2::TokenStream> {
    let dir_lit = parse_dir(attr)?;
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
    let dir = Path::new(&manifest).join(dir_lit.value());
    if !dir.is_dir() {
        return Err(error(
            dir_lit.span(),
            format!("test directory {} not found", dir.display()),
        ));
    }
    let files = find_files(&dir);
    if files.is_empty() {
        return Err(error(
            dir_lit.span(),
            format!("no .test files found under {}", dir.display()),
        ));
    }
    let names = files.iter().map(|(n, _)| n);
    let paths = files.iter().map(|(_, p)| p.to_string_lossy().into_owned());
    let dir_str = dir.to_string_lossy().into_owned();
    let attrs = &func.attrs;
    let vis = &func.vis;
    let stmts = &func.block.stmts;
    Ok(quote! {
        #(#attrs)*
        #vis fn main() -> ::std::process::ExitCode {
            #(#stmts)*
            ::promtest_runtime::harness::run_main(
                #dir_str,
                &[#((#names, ::core::include_str!(#paths))),*],
            )
        }
    })
}
