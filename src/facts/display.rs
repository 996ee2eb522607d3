//! Short source-like text for IR expressions and types, for messages: `Box::new(Student { .. })`,
//! `let q = p`, `Box<dyn Fn(u64) -> u64>`.
//!
//! Go's `-m` quotes the expression it speaks of, abbreviated. The IR keeps no source text, so
//! the text is rebuilt from the IR: names and numbers as written, string literals as `".."`,
//! and anything long or deep as `..`.

use crate::ir::*;

/// Expressions longer than this are abbreviated.
const MAX_LEN: usize = 48;

pub struct Printer<'a> {
    pub ir: &'a FileIr,
    pub body: Option<&'a Body>,
}

impl<'a> Printer<'a> {
    pub fn new(ir: &'a FileIr, body: Option<&'a Body>) -> Printer<'a> {
        Printer { ir, body }
    }

    /// An expression, abbreviated to about one line.
    pub fn expr(&self, id: ExprId) -> String {
        let full = self.expr_at(id, 0);
        if full.len() <= MAX_LEN {
            return full;
        }
        // Too long: keep the outer shape, cut the inside.
        self.expr_at(id, 2)
    }

    /// `depth` counts how far down the tree we are; past a point, children print as `..`.
    fn expr_at(&self, id: ExprId, depth: u32) -> String {
        let ir = self.ir;
        let inner = |e: ExprId| self.expr_at(e, depth + 1);
        // An operand that binds looser than where it is put, in the parentheses the source
        // had (the IR keeps none): `(0..n).collect()`, `(a + b) as u64`, `-(a + b)`.
        let operand = |e: ExprId, postfix: bool| {
            let text = inner(e);
            let loose = match ir.expr(e).kind {
                ExprKind::Range { .. }
                | ExprKind::Binary { .. }
                | ExprKind::Cast { .. }
                | ExprKind::Assign { .. }
                | ExprKind::AssignOp { .. }
                | ExprKind::Return(_)
                | ExprKind::Break { .. } => true,
                ExprKind::Unary { .. } | ExprKind::Ref { .. } => postfix,
                _ => false,
            };
            if loose { format!("({text})") } else { text }
        };
        let args = |list: List<ExprId>| -> String {
            let items = ir.list(list);
            if items.is_empty() {
                String::new()
            } else if depth >= 2 {
                "..".to_string()
            } else {
                items
                    .iter()
                    .map(|&e| self.expr_at(e, depth + 1))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        if depth > 4 {
            return "..".to_string();
        }
        match &ir.expr(id).kind {
            ExprKind::Missing => "_".to_string(),
            ExprKind::Local(l) => self.local(*l),
            ExprKind::Path(p) => self.expr_path(*p),
            ExprKind::Lit(lit) => lit_text(lit),
            ExprKind::Call { callee, args: list } => {
                format!("{}({})", operand(*callee, true), args(*list))
            }
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(*m);
                // The turbofish stays: `iter.sum::<i32>()` is not `iter.sum()`, which may not
                // compile where a help quotes it.
                let turbofish = if m.turbofish.is_empty() {
                    String::new()
                } else {
                    format!("::{}", self.angle_args(m.turbofish))
                };
                format!(
                    "{}.{}{turbofish}({})",
                    operand(m.receiver, true),
                    m.method,
                    args(m.args)
                )
            }
            ExprKind::Macro(m) => {
                let m = ir.macro_call(*m);
                let name = self.path(m.path);
                let (open, close) = if name == "vec" {
                    ("[", "]")
                } else {
                    ("(", ")")
                };
                let body = match m.args {
                    MacroArgs::List(list) if name == "vec" => args(list),
                    MacroArgs::Repeat { elem, len } => format!("{}; {}", inner(elem), inner(len)),
                    MacroArgs::List(list) | MacroArgs::Opaque(list) if list.is_empty() => {
                        String::new()
                    }
                    // Format strings are not kept; `format!(..)` says enough.
                    MacroArgs::List(_) | MacroArgs::Opaque(_) => "..".to_string(),
                };
                format!("{name}!{open}{body}{close}")
            }
            ExprKind::Closure(c) => match ir.closure(*c).kind {
                ClosureKind::AsyncBlock => "async { .. }".to_string(),
                _ => "func literal".to_string(),
            },
            ExprKind::Block(b) => match ir.block(*b).kind {
                BlockKind::Unsafe => "unsafe { .. }".to_string(),
                _ => "{ .. }".to_string(),
            },
            ExprKind::If { cond, .. } => format!("if {} {{ .. }}", inner(*cond)),
            ExprKind::Let { expr, .. } => format!("let .. = {}", inner(*expr)),
            ExprKind::Match { scrutinee, .. } => format!("match {} {{ .. }}", inner(*scrutinee)),
            ExprKind::Loop { .. } => "loop { .. }".to_string(),
            ExprKind::While { cond, .. } => format!("while {} {{ .. }}", inner(*cond)),
            ExprKind::For { iter, .. } => format!("for .. in {} {{ .. }}", inner(*iter)),
            ExprKind::Assign { place, value } => format!("{} = {}", inner(*place), inner(*value)),
            ExprKind::AssignOp { op, place, value } => {
                format!("{} {}= {}", inner(*place), op.as_str(), inner(*value))
            }
            ExprKind::Binary { op, lhs, rhs } => {
                format!("{} {} {}", inner(*lhs), op.as_str(), inner(*rhs))
            }
            ExprKind::Unary { op, expr } => {
                let op = match op {
                    UnOp::Deref => "*",
                    UnOp::Not => "!",
                    UnOp::Neg => "-",
                };
                format!("{op}{}", operand(*expr, false))
            }
            ExprKind::Ref { mutable, raw, expr } => {
                let prefix = match (raw, mutable) {
                    (true, true) => "&raw mut ",
                    (true, false) => "&raw const ",
                    (false, true) => "&mut ",
                    (false, false) => "&",
                };
                format!("{prefix}{}", operand(*expr, false))
            }
            ExprKind::Field { base, name } => format!("{}.{name}", operand(*base, true)),
            ExprKind::Index { base, index } => {
                format!("{}[{}]", operand(*base, true), inner(*index))
            }
            ExprKind::Struct(s) => format!("{} {{ .. }}", self.path(ir.struct_lit(*s).path)),
            ExprKind::Tuple(list) => format!("({})", args(*list)),
            ExprKind::Array(list) => format!("[{}]", args(*list)),
            ExprKind::Repeat { elem, len } => format!("[{}; {}]", inner(*elem), inner(*len)),
            ExprKind::Cast { expr, ty } => {
                format!("{} as {}", operand(*expr, false), self.ty(*ty))
            }
            ExprKind::Return(v) => match v {
                Some(v) => format!("return {}", inner(*v)),
                None => "return".to_string(),
            },
            ExprKind::Break { value, .. } => match value {
                Some(v) => format!("break {}", inner(*v)),
                None => "break".to_string(),
            },
            ExprKind::Continue => "continue".to_string(),
            ExprKind::Try(e) => format!("{}?", operand(*e, true)),
            ExprKind::Await(e) => format!("{}.await", operand(*e, true)),
            ExprKind::Yield(_) => "yield ..".to_string(),
            ExprKind::Range { lo, hi } => format!(
                "{}..{}",
                lo.map(&inner).unwrap_or_default(),
                hi.map(&inner).unwrap_or_default()
            ),
        }
    }

    /// `let PAT = INIT`, as a step of a flow.
    pub fn let_stmt(&self, id: LetId) -> String {
        let l = self.ir.let_stmt(id);
        match l.init {
            Some(init) => format!("let {} = {}", self.pat(l.pat), self.expr(init)),
            None => format!("let {}", self.pat(l.pat)),
        }
    }

    pub fn pat(&self, id: PatId) -> String {
        let ir = self.ir;
        match &ir.pat(id).kind {
            PatKind::Wild => "_".to_string(),
            PatKind::Rest => "..".to_string(),
            PatKind::Bind { local, sub } => {
                let l = self.local_decl(*local);
                match sub {
                    Some(sub) => format!("{l} @ {}", self.pat(*sub)),
                    None => l,
                }
            }
            PatKind::Tuple(list) => {
                format!(
                    "({})",
                    ir.list(*list)
                        .iter()
                        .map(|&p| self.pat(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            PatKind::TupleStruct { path, elems } => format!(
                "{}({})",
                self.path(*path),
                ir.list(*elems)
                    .iter()
                    .map(|&p| self.pat(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            PatKind::Struct { path, .. } => format!("{} {{ .. }}", self.path(*path)),
            PatKind::Path(p) => self.path(*p),
            PatKind::Ref { mutable, pat } => {
                format!("&{}{}", if *mutable { "mut " } else { "" }, self.pat(*pat))
            }
            PatKind::Or(list) => ir
                .list(*list)
                .iter()
                .map(|&p| self.pat(p))
                .collect::<Vec<_>>()
                .join(" | "),
            PatKind::Slice(_) => "[..]".to_string(),
            PatKind::Lit | PatKind::Missing => "..".to_string(),
        }
    }

    fn local_decl(&self, id: LocalId) -> String {
        let Some(body) = self.body else {
            return "_".to_string();
        };
        let local = body.local(id);
        let mut out = String::new();
        if local.by_ref {
            out.push_str("ref ");
        }
        if local.mutable {
            out.push_str("mut ");
        }
        out.push_str(local.name.as_str());
        out
    }

    pub fn local(&self, id: LocalId) -> String {
        match self.body {
            Some(body) => body.local(id).name.to_string(),
            None => "_".to_string(),
        }
    }

    /// A path as written, without generic arguments: `Box::new`, `std::mem::forget`.
    pub fn path(&self, id: PathId) -> String {
        let p = self.ir.path(id);
        let mut out = match p.qself {
            Some(q) => format!("<{}>", self.ty(q.ty)),
            None if p.global => "::".to_string(),
            None => String::new(),
        };
        for seg in self.ir.list(p.segments) {
            if !out.is_empty() && !out.ends_with("::") {
                out.push_str("::");
            }
            out.push_str(seg.name.as_str());
        }
        out
    }

    /// A path in an expression: as written, with a turbofish on the last segment only, which
    /// says what is called (`size_of::<u64>`), not how its type was reached.
    pub fn expr_path(&self, id: PathId) -> String {
        let mut out = self.path(id);
        if let Some(args) = self
            .ir
            .list(self.ir.path(id).segments)
            .last()
            .and_then(|s| s.args)
        {
            out.push_str("::");
            out.push_str(&self.generic_args(args));
        }
        out
    }

    /// A path with its generic arguments: `Box<dyn Fn(u64) -> u64>`.
    pub fn path_with_args(&self, id: PathId) -> String {
        let p = self.ir.path(id);
        let mut out = String::new();
        if p.global {
            out.push_str("::");
        }
        for (i, seg) in self.ir.list(p.segments).iter().enumerate() {
            if i > 0 {
                out.push_str("::");
            }
            out.push_str(seg.name.as_str());
            if let Some(args) = seg.args {
                out.push_str(&self.generic_args(args));
            }
        }
        out
    }

    fn generic_args(&self, id: GenericArgsId) -> String {
        match *self.ir.generic_args(id) {
            GenericArgs::Angle(list) => self.angle_args(list),
            GenericArgs::Paren { inputs, output } => {
                let inputs: Vec<String> =
                    self.ir.list(inputs).iter().map(|&t| self.ty(t)).collect();
                match output {
                    Some(out) => format!("({}) -> {}", inputs.join(", "), self.ty(out)),
                    None => format!("({})", inputs.join(", ")),
                }
            }
        }
    }

    /// `<T, N>`.
    fn angle_args(&self, list: List<GenericArg>) -> String {
        let args: Vec<String> = self
            .ir
            .list(list)
            .iter()
            .map(|a| match *a {
                GenericArg::Lifetime => "'_".to_string(),
                GenericArg::Type(t) => self.ty(t),
                GenericArg::Const(e) => self.expr(e),
                GenericArg::AssocType { name, ty } => format!("{name} = {}", self.ty(ty)),
                GenericArg::Other => "..".to_string(),
            })
            .collect();
        format!("<{}>", args.join(", "))
    }

    /// A type as written.
    pub fn ty(&self, id: TyId) -> String {
        let ir = self.ir;
        let list = |l: List<TyId>, sep: &str| {
            ir.list(l)
                .iter()
                .map(|&t| self.ty(t))
                .collect::<Vec<_>>()
                .join(sep)
        };
        match &ir.ty(id).kind {
            TyKind::Path(p) => self.path_with_args(*p),
            TyKind::Ref { mutable, ty } => {
                format!("&{}{}", if *mutable { "mut " } else { "" }, self.ty(*ty))
            }
            TyKind::Ptr { mutable, ty } => format!(
                "*{} {}",
                if *mutable { "mut" } else { "const" },
                self.ty(*ty)
            ),
            TyKind::Array { elem, len } => format!("[{}; {}]", self.ty(*elem), self.expr(*len)),
            TyKind::Slice(t) => format!("[{}]", self.ty(*t)),
            TyKind::Tuple(l) => {
                if l.len() == 1 {
                    format!("({},)", list(*l, ", "))
                } else {
                    format!("({})", list(*l, ", "))
                }
            }
            TyKind::FnPtr { params, ret } => match ret {
                Some(r) => format!("fn({}) -> {}", list(*params, ", "), self.ty(*r)),
                None => format!("fn({})", list(*params, ", ")),
            },
            TyKind::Dyn(bounds) => format!("dyn {}", list(*bounds, " + ")),
            TyKind::Impl(bounds) => format!("impl {}", list(*bounds, " + ")),
            TyKind::Never => "!".to_string(),
            TyKind::Infer => "_".to_string(),
            TyKind::Missing => "..".to_string(),
        }
    }
}

fn lit_text(lit: &Lit) -> String {
    match lit {
        Lit::Int { value, suffix } => match suffix {
            Some(s) => format!("{value}{}", s.name()),
            None => value.to_string(),
        },
        Lit::BigInt => "..".to_string(),
        Lit::Float { value, bits } => match bits {
            Some(bits) => format!("{value:?}f{bits}"),
            None => format!("{value:?}"),
        },
        Lit::Bool(b) => b.to_string(),
        Lit::Char => "'..'".to_string(),
        Lit::Byte => "b'..'".to_string(),
        Lit::Str => "\"..\"".to_string(),
        Lit::ByteStr => "b\"..\"".to_string(),
        Lit::CStr => "c\"..\"".to_string(),
    }
}
