//! Where contracts come from besides the code: `[contracts]` in the configuration, by item
//! path with globs; and whether a run has any contract at all, so that a workspace without
//! one does none of this work.

use crate::config::ContractLists;
use crate::ir::directive::{self, DirectiveKind};
use crate::ir::{Contract, ContractKind, ContractSource, Span};
use crate::load::Loaded;

/// `[contracts]` of a package's configuration layers, compiled.
#[derive(Clone, Debug, Default)]
pub struct ContractGlobs {
    pub no_alloc: Option<globset::GlobSet>,
    pub no_block: Option<globset::GlobSet>,
    pub assume_no_alloc: Option<globset::GlobSet>,
    pub assume_no_block: Option<globset::GlobSet>,
}

impl ContractGlobs {
    /// The lists of every layer that applies, together; an invalid glob is an error (the
    /// configuration reader has checked them already).
    pub fn new<'a>(layers: impl IntoIterator<Item = &'a ContractLists>) -> Result<Self, String> {
        let mut all = ContractLists::default();
        for layer in layers {
            all.no_alloc.extend(layer.no_alloc.iter().cloned());
            all.no_block.extend(layer.no_block.iter().cloned());
            all.assume_no_alloc
                .extend(layer.assume_no_alloc.iter().cloned());
            all.assume_no_block
                .extend(layer.assume_no_block.iter().cloned());
        }
        let compile = |list: &[String]| -> Result<Option<globset::GlobSet>, String> {
            if list.is_empty() {
                return Ok(None);
            }
            crate::paths::item_globs(list.iter().map(String::as_str)).map(Some)
        };
        Ok(ContractGlobs {
            no_alloc: compile(&all.no_alloc)?,
            no_block: compile(&all.no_block)?,
            assume_no_alloc: compile(&all.assume_no_alloc)?,
            assume_no_block: compile(&all.assume_no_block)?,
        })
    }

    /// Whether the configuration puts a contract on any function.
    pub fn any(&self) -> bool {
        self.no_alloc.is_some() || self.no_block.is_some()
    }

    /// The contract the configuration puts on a function with these paths (`dsp::mix` and
    /// `crate::mix`, as `/`-joined keys).
    pub(super) fn contract(&self, keys: &[String]) -> Option<Contract> {
        let matches = |set: &Option<globset::GlobSet>| {
            set.as_ref()
                .is_some_and(|s| keys.iter().any(|k| s.is_match(k)))
        };
        let kind = if matches(&self.no_block) {
            ContractKind::NoBlock
        } else if matches(&self.no_alloc) {
            ContractKind::NoAlloc
        } else {
            return None;
        };
        Some(Contract {
            kind,
            allow_panic: false,
            at: Span::default(),
            source: ContractSource::Config,
        })
    }

    /// What the configuration assumes of a function of this path: the strongest contract it
    /// is taken to keep.
    pub(super) fn assumed(&self, keys: &[String]) -> Option<ContractKind> {
        let matches = |set: &Option<globset::GlobSet>| {
            set.as_ref()
                .is_some_and(|s| keys.iter().any(|k| s.is_match(k)))
        };
        if matches(&self.assume_no_block) {
            Some(ContractKind::NoBlock)
        } else if matches(&self.assume_no_alloc) {
            Some(ContractKind::NoAlloc)
        } else {
            None
        }
    }
}

/// Whether any analyzed file writes a contract, as an attribute or a comment.
pub fn any_written(loaded: &Loaded) -> bool {
    loaded.files.iter().any(|f| {
        f.owner.is_some()
            && f.ir.as_ref().is_some_and(|ir| {
                !ir.contracts.is_empty()
                    || ir.directives.iter().any(|d| {
                        matches!(
                            directive::parse(&d.text),
                            Ok(DirectiveKind::Contract { .. })
                        )
                    })
            })
    })
}
