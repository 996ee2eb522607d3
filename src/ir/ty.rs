//! Types, paths and their generic arguments.

use super::{ExprId, FileIr, GenericArgsId, List, PathId, Span, TyId};
use crate::sym::Sym;

#[derive(Debug)]
pub struct Ty {
    pub kind: TyKind,
    pub span: Span,
}

#[derive(Debug)]
pub enum TyKind {
    Path(PathId),
    Ref {
        mutable: bool,
        ty: TyId,
    },
    Ptr {
        mutable: bool,
        ty: TyId,
    },
    Array {
        elem: TyId,
        len: ExprId,
    },
    Slice(TyId),
    Tuple(List<TyId>),
    FnPtr {
        params: List<TyId>,
        ret: Option<TyId>,
    },
    /// `dyn A + B`; each bound is a trait path.
    Dyn(List<TyId>),
    /// `impl A + B`.
    Impl(List<TyId>),
    Never,
    /// `_`.
    Infer,
    /// A macro in type position, or tokens the IR does not model.
    Missing,
}

#[derive(Debug, Clone)]
pub struct Path {
    /// Leading `::`.
    pub global: bool,
    /// `<T as Trait>::item`: the type, and how many leading segments belong to the trait.
    pub qself: Option<QSelf>,
    pub segments: List<Segment>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy)]
pub struct QSelf {
    pub ty: TyId,
    /// Number of segments of `path` that name the trait in `<T as Trait>::x`.
    pub position: u32,
}

#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub name: Sym,
    pub args: Option<GenericArgsId>,
}

#[derive(Debug, Clone, Copy)]
pub enum GenericArgs {
    /// `<A, B, Item = C>`.
    Angle(List<GenericArg>),
    /// `Fn(A, B) -> C`.
    Paren {
        inputs: List<TyId>,
        output: Option<TyId>,
    },
}

#[derive(Debug, Clone, Copy)]
pub enum GenericArg {
    Lifetime,
    Type(TyId),
    Const(ExprId),
    /// `Item = T`.
    AssocType {
        name: Sym,
        ty: TyId,
    },
    /// `Item: Bound` and anything else.
    Other,
}

impl FileIr {
    /// The names of a path's segments.
    pub fn segment_names(&self, path: &Path) -> impl Iterator<Item = Sym> + '_ {
        self.list(path.segments).iter().map(|s| s.name)
    }

    /// The last segment's name.
    pub fn path_last(&self, path: &Path) -> Option<Sym> {
        self.list(path.segments).last().map(|s| s.name)
    }

    /// The single identifier of a path like `foo`, without generics, `::` or qualified self.
    pub fn path_ident(&self, path: &Path) -> Option<Sym> {
        match self.list(path.segments) {
            [seg] if !path.global && path.qself.is_none() && seg.args.is_none() => Some(seg.name),
            _ => None,
        }
    }
}

/// The primitive integer types, as literal suffixes and `repr`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntTy {
    U8,
    U16,
    U32,
    U64,
    U128,
    Usize,
    I8,
    I16,
    I32,
    I64,
    I128,
    Isize,
}

impl IntTy {
    pub fn name(self) -> &'static str {
        match self {
            IntTy::U8 => "u8",
            IntTy::U16 => "u16",
            IntTy::U32 => "u32",
            IntTy::U64 => "u64",
            IntTy::U128 => "u128",
            IntTy::Usize => "usize",
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
            IntTy::I128 => "i128",
            IntTy::Isize => "isize",
        }
    }

    pub fn from_name(name: &str) -> Option<IntTy> {
        Some(match name {
            "u8" => IntTy::U8,
            "u16" => IntTy::U16,
            "u32" => IntTy::U32,
            "u64" => IntTy::U64,
            "u128" => IntTy::U128,
            "usize" => IntTy::Usize,
            "i8" => IntTy::I8,
            "i16" => IntTy::I16,
            "i32" => IntTy::I32,
            "i64" => IntTy::I64,
            "i128" => IntTy::I128,
            "isize" => IntTy::Isize,
            _ => return None,
        })
    }
}
