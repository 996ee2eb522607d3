//! The sites of one body: what a function does that a contract may forbid (an allocation, a
//! drop of an owning value, a panic, a lock, I/O, code the tool cannot see) and whom it calls,
//! read through the API table and the crate's index while it is alive. The method a call
//! calls is found from its receiver's type ([`ty_of`]); a method of a receiver whose type is
//! not known is looked up by name.

use super::summarize::CrateInfo;
use super::{
    Callee, Effect, EffectKind, Frees, Op, Owner, Site, StdVerdict, TypeKey, TypeRef, Unknown,
};
use crate::facts::BodyCx;
use crate::facts::api::{self, Api, Effect as ApiEffect, StdType};
use crate::facts::types::{Bound, Ty, Type, Types, body_env, ty_of};
use crate::index::Def;
use crate::ir::*;
use crate::sym::{FxHashSet, Sym};

/// What the API table says a call does, as the contracts see it.
fn judge(apis: &[Api]) -> Vec<EffectKind> {
    let has = |e: ApiEffect| apis.iter().any(|a| a.has(e));
    let mut out = Vec::new();
    if apis
        .iter()
        .any(|a| a.allocates().is_some() || a.spawns().is_some())
    {
        out.push(EffectKind::Allocates);
    } else if has(ApiEffect::MayAllocate) {
        out.push(EffectKind::MayAllocate);
    } else if has(ApiEffect::DoesIo) {
        out.push(EffectKind::Io);
    } else if has(ApiEffect::DropsElements) {
        out.push(EffectKind::Frees(Frees::Elements));
    }
    if has(ApiEffect::Blocks) {
        out.push(EffectKind::Blocks);
    }
    if has(ApiEffect::UnwrapsOrPanics) {
        out.push(EffectKind::Panics);
    }
    let alloc_known = has(ApiEffect::NoAlloc)
        || has(ApiEffect::Wraps)
        || out.iter().any(|k| {
            matches!(
                k,
                EffectKind::Allocates
                    | EffectKind::MayAllocate
                    | EffectKind::Io
                    | EffectKind::Frees(_)
            )
        });
    if !alloc_known {
        out.push(EffectKind::Unknown(Unknown::NotInTable));
    }
    out
}

/// `std::vec::Vec::push` as `Vec::push`: the last two segments.
fn short_path(path: &[Sym]) -> String {
    let start = path.len().saturating_sub(2);
    crate::index::path_string(&path[start..])
}

/// Walks one body, collecting its sites.
pub(super) struct Walker<'i, 'b, 'c, 'a> {
    info: &'i CrateInfo<'c, 'a>,
    bcx: &'b BodyCx<'c, 'a>,
    sites: Vec<Site>,
    /// Closures given to work that runs elsewhere (`thread::spawn`): not part of this body.
    elsewhere: FxHashSet<ExprId>,
}

impl<'i, 'b, 'c, 'a> Walker<'i, 'b, 'c, 'a> {
    pub(super) fn new(
        info: &'i CrateInfo<'c, 'a>,
        bcx: &'b BodyCx<'c, 'a>,
    ) -> Walker<'i, 'b, 'c, 'a> {
        Walker {
            info,
            bcx,
            sites: Vec::new(),
            elsewhere: FxHashSet::default(),
        }
    }

    pub(super) fn run(mut self) -> Vec<Site> {
        let ir = self.bcx.ir;
        let mut order: Vec<(ExprId, Vec<ExprId>)> = Vec::new();
        walk::walk(ir, self.bcx.body.value, &mut |cx, id, _| {
            order.push((id, cx.closures.clone()));
        });
        for (id, closures) in order {
            if closures.iter().any(|c| self.elsewhere.contains(c)) {
                continue;
            }
            self.expr(id);
        }
        self.param_drops();
        self.sites
    }

    fn effect(&mut self, expr: ExprId, kind: EffectKind, what: &str) {
        self.sites.push(Site {
            span: self.bcx.ir.expr(expr).span,
            expr: Some(expr),
            op: Op::Effect(Effect {
                kind,
                what: Sym::new(what),
            }),
        });
    }

    fn call(&mut self, expr: ExprId, callee: Callee) {
        self.sites.push(Site {
            span: self.bcx.ir.expr(expr).span,
            expr: Some(expr),
            op: Op::Call(callee),
        });
    }

    fn judged(&mut self, expr: ExprId, apis: &[Api], what: &str) {
        for kind in judge(apis) {
            let kind = match kind {
                EffectKind::Frees(Frees::Elements) => match self.elements_own(expr) {
                    Some(false) => continue,
                    _ => kind,
                },
                _ => kind,
            };
            self.effect(expr, kind, what);
        }
    }

    /// Whether the elements a method call drops (`v.clear()`) own heap memory.
    fn elements_own(&mut self, expr: ExprId) -> Option<bool> {
        let ExprKind::MethodCall(m) = self.bcx.ir.expr(expr).kind else {
            return None;
        };
        let receiver = self.bcx.ir.method_call(m).receiver;
        let ty = self.ty(receiver);
        match peel(&ty) {
            Ty::Named(Type::External(_), args) if !args.is_empty() => {
                let mut any = Some(false);
                for a in args {
                    match self.owns(a) {
                        Some(true) => return Some(true),
                        None => any = None,
                        Some(false) => {}
                    }
                }
                any
            }
            t if t.is(&["std", "string", "String"]) => Some(false),
            _ => None,
        }
    }

    fn expr(&mut self, id: ExprId) {
        let ir = self.bcx.ir;
        match &ir.expr(id).kind {
            ExprKind::Call { callee, args } => self.call_expr(id, *callee, *args),
            ExprKind::MethodCall(m) => self.method_call(id, *m),
            ExprKind::Macro(m) => self.macro_call(id, *m),
            ExprKind::Assign { place, .. } => self.assign(id, *place),
            ExprKind::AssignOp { op, place, .. } => self.operator(id, *place, op_method(*op, true)),
            ExprKind::Binary { op, lhs, .. } => self.operator(id, *lhs, op_method(*op, false)),
            _ => {}
        }
    }

    /// `a + b`, `a += b`, `a == b`: a `String` grows; a crate type's operator is its trait
    /// impl's method.
    fn operator(&mut self, id: ExprId, lhs: ExprId, method: Option<&'static str>) {
        let Some(method) = method else { return };
        let ty = self.ty(lhs);
        match peel(&ty) {
            t if t.is(&["std", "string", "String"]) && matches!(method, "add" | "add_assign") => {
                self.effect(id, EffectKind::MayAllocate, "String::push_str");
            }
            Ty::Named(Type::Crate(adt), _) => {
                let adt = *adt;
                for key in self.info.methods_of(adt, Sym::new(method)) {
                    self.call(id, Callee::Fn(key));
                }
            }
            _ => {}
        }
    }

    /// `place = value` drops the place's old value.
    fn assign(&mut self, id: ExprId, place: ExprId) {
        let ir = self.bcx.ir;
        if let ExprKind::Local(l) = ir.expr(place).kind
            && self.bcx.body.local(l).kind == LocalKind::Let
            && self.bcx.let_init(l).is_none()
        {
            // `let x; x = ..`: nothing was there before (or the compiler would say so).
            return;
        }
        let ty = self.ty(place);
        if self.owns(&ty) == Some(true) {
            let what = self.bcx.printer().expr(place);
            self.effect(id, EffectKind::Frees(Frees::Assign), &what);
        }
    }

    /// The type of an expression of the body, as far as it is known.
    fn ty(&self, expr: ExprId) -> Ty {
        ty_of(self.bcx, expr).unwrap_or(Ty::Unknown)
    }

    /// Whether dropping a value of this type frees heap memory: `None` when unsure.
    fn owns(&self, ty: &Ty) -> Option<bool> {
        owns(self.bcx, ty, 0)
    }

    fn call_expr(&mut self, id: ExprId, callee: ExprId, args: List<ExprId>) {
        let bcx = self.bcx;
        let ir = bcx.ir;
        match ir.expr(callee).kind {
            ExprKind::Path(p) => self.path_call(id, callee, p, args),
            ExprKind::Local(l) => {
                // A closure of this body is walked as part of it.
                let init = bcx.let_init(l);
                if init.is_some_and(|i| matches!(ir.expr(i).kind, ExprKind::Closure(_))) {
                    return;
                }
                let what = bcx.printer().local(l);
                self.effect(id, EffectKind::Unknown(Unknown::FnValue), &what);
            }
            _ => {
                let what = bcx.printer().expr(callee);
                self.effect(id, EffectKind::Unknown(Unknown::FnValue), &what);
            }
        }
    }

    fn path_call(&mut self, id: ExprId, callee: ExprId, p: PathId, args: List<ExprId>) {
        let bcx = self.bcx;
        let ir = bcx.ir;
        let path = ir.path(p);
        let segments: Vec<Sym> = ir.segment_names(path).collect();
        let last = segments.last().copied().unwrap_or_else(Sym::empty);
        let text = bcx.printer().expr_path(p);
        // `T::new()`: a generic parameter's trait.
        if segments.len() == 2
            && path.qself.is_none()
            && let Some(Ty::Param { bounds, .. }) = self.generic(segments[0])
        {
            self.trait_call(id, &traits(bounds), last, &text);
            return;
        }
        let Some(resolved) = bcx.resolve_path_id(p) else {
            // `f32::max(a, b)`, `u32::from(x)`: a primitive's associated function.
            if segments.len() == 2
                && let Some(prim) = Ty::primitive(segments[0])
            {
                self.std_method_effects(id, &prim, last, &text);
                return;
            }
            self.effect(id, EffectKind::Unknown(Unknown::Unresolved), &text);
            return;
        };
        match resolved.def {
            Def::External(path) => self.external_call(id, callee, &other_crate(path), args),
            Def::Item(file, item) => {
                let kind = bcx.cx.index.item(file, item).map(|i| &i.kind);
                match (kind, resolved.rest) {
                    (Some(ItemKind::Fn(_)), 0) => {
                        if let Some(Owner::Trait(t)) = self.info.owners.get(&(file, item)) {
                            // `Trait::method` named through a `use` of the method itself.
                            let t = *t;
                            self.trait_call(id, &[TypeRef::Local(t)], last, &text);
                        } else {
                            self.call(id, Callee::Fn((file, item)));
                        }
                    }
                    // A tuple struct's constructor.
                    (Some(ItemKind::Struct(_)), 0) => {}
                    (Some(ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_)), 1) => {
                        let keys = self.info.methods_of((file, item), last);
                        if !keys.is_empty() {
                            keys.into_iter().for_each(|k| self.call(id, Callee::Fn(k)));
                        } else if !is_variant(ir_of(bcx, file), item, last) {
                            self.effect(id, EffectKind::Unknown(Unknown::Method), &text);
                        }
                    }
                    (Some(ItemKind::Trait { .. }), 1) => {
                        self.trait_call(id, &[TypeRef::Local((file, item))], last, &text);
                    }
                    _ => self.effect(id, EffectKind::Unknown(Unknown::FnValue), &text),
                }
            }
            Def::Module(_) => self.effect(id, EffectKind::Unknown(Unknown::Unresolved), &text),
        }
    }

    /// The bounds of a generic parameter of the body, if `name` is one.
    fn generic(&self, name: Sym) -> Option<&'c Ty> {
        let env = body_env(self.bcx);
        env.params.iter().find(|(n, _)| *n == name).map(|(_, t)| t)
    }

    /// A call of a function of another crate: std's, through the API table; any other, by
    /// its path.
    fn external_call(&mut self, id: ExprId, _callee: ExprId, path: &[Sym], args: List<ExprId>) {
        let what = short_path(path);
        let (table, extra) = api::contract_path(path);
        if table.has(ApiEffect::Drops) {
            self.drop_call(id, args);
            return;
        }
        if table.is_known() || extra.is_known() {
            self.judged(id, &[table, extra], &what);
            return;
        }
        if path.first().is_some_and(|s| s.is("std")) {
            // A std type's associated function, as a method of that type: `Vec::len(&v)`.
            if let Some((ty, name)) = path.split_last().map(|(n, ty)| (ty, *n))
                && let Some(std) = StdType::of_path(ty)
            {
                let api = std_method_api(std, name);
                if api.is_known() {
                    self.judged(id, &[api], &what);
                    return;
                }
            }
            let full = crate::index::path_string(path);
            self.effect(id, EffectKind::Unknown(Unknown::NotInTable), &full);
            return;
        }
        self.call(id, Callee::Path(path.into()));
    }

    /// `drop(x)`: frees what `x` owns.
    fn drop_call(&mut self, id: ExprId, args: List<ExprId>) {
        let Some(&arg) = self.bcx.ir.list(args).first() else {
            return;
        };
        let ty = self.ty(arg);
        if self.owns(&ty) == Some(true) {
            let what = self.bcx.printer().expr(arg);
            self.effect(id, EffectKind::Frees(Frees::Drop), &what);
        }
    }

    /// A trait's method through a generic, `dyn` or `impl` receiver (or `Trait::method`).
    fn trait_call(&mut self, id: ExprId, traits: &[TypeRef], name: Sym, what: &str) {
        let mut any = false;
        for t in traits {
            let std = matches!(t, TypeRef::Path(p) if p.first().is_some_and(|s| s.is("std")));
            if std {
                continue;
            }
            any = true;
            self.call(
                id,
                Callee::Trait {
                    trait_: t.clone(),
                    name,
                },
            );
        }
        if !any {
            self.effect(id, EffectKind::Unknown(Unknown::Generic), what);
        }
    }

    fn method_call(&mut self, id: ExprId, m: MethodCallId) {
        let ir = self.bcx.ir;
        let call = ir.method_call(m);
        let name = call.method;
        let receiver = self.ty(call.receiver);
        // Closures given to a spawn run elsewhere.
        if api::method(name).spawns().is_some() {
            for &arg in ir.list(call.args) {
                if matches!(ir.expr(arg).kind, ExprKind::Closure(_)) {
                    self.elsewhere.insert(arg);
                }
            }
        }
        self.method_on(id, &receiver, name, 0);
    }

    /// A method called on a receiver of type `ty`, dereferencing as the compiler would.
    fn method_on(&mut self, id: ExprId, ty: &Ty, name: Sym, depth: u32) {
        let what = |ty: &str| format!("{ty}::{name}");
        match ty {
            Ty::Ptr { inner, .. } if inner.is_known() => {
                self.std_method_effects(id, &Ty::prim("usize"), name, &what("pointer"));
            }
            Ty::Ref { inner, .. } if inner.is_known() => self.method_on(id, inner, name, depth + 1),
            Ty::Named(Type::Crate(adt), _) => {
                let adt = *adt;
                let keys = self.info.methods_of(adt, name);
                if !keys.is_empty() {
                    keys.into_iter().for_each(|k| self.call(id, Callee::Fn(k)));
                    return;
                }
                let type_name = ir_of(self.bcx, adt.0)
                    .item(adt.1)
                    .name
                    .map_or(String::new(), |n| n.to_string());
                if self.derived(adt, name) {
                    if name.is("clone") && owns(self.bcx, ty, 0) != Some(false) {
                        self.effect(id, EffectKind::Allocates, &what(&type_name));
                    }
                    return;
                }
                // A trait of another crate, whose default method this may be.
                let traits: Vec<TypeRef> = self
                    .info
                    .impl_traits
                    .get(&adt)
                    .into_iter()
                    .flatten()
                    .filter(|t| matches!(t, TypeRef::Path(p) if !p[0].is("std")))
                    .cloned()
                    .collect();
                if !traits.is_empty() {
                    self.trait_call(id, &traits, name, &what(&type_name));
                    return;
                }
                self.effect(id, EffectKind::Unknown(Unknown::Method), &what(&type_name));
            }
            Ty::Named(Type::External(path), args) => {
                let path = &other_crate(path.clone());
                if path.first().is_some_and(|s| s.is("std")) {
                    let Some(std) = StdType::of_path(path) else {
                        // An iterator's methods are `Iterator`'s, judged by name.
                        let iterator = path
                            .last()
                            .is_some_and(|s| matches!(s.as_str(), "Iter" | "IterMut" | "IntoIter"));
                        if iterator {
                            return self.by_name(id, name);
                        }
                        return self.unknown_std(id, path, name);
                    };
                    let api = std_method_api(std, name);
                    if api.is_known() {
                        let what = what(short_path(path).rsplit("::").next().unwrap_or(""));
                        return self.judged(id, &[api], &what);
                    }
                    // What the type dereferences to: a `Box`'s, `Rc`'s or guard's content, a
                    // `Vec`'s slice, a `String`'s `str`.
                    let inner = match std {
                        StdType::Box | StdType::Counted => args.first().cloned(),
                        _ => std.derefs_to().map(|d| match d {
                            StdType::Str => Ty::prim("str"),
                            _ => Ty::Slice(Box::new(args.first().cloned().unwrap_or(Ty::Unknown))),
                        }),
                    };
                    match inner {
                        Some(inner) if depth < 6 && inner.is_known() => {
                            self.method_on(id, &inner, name, depth + 1)
                        }
                        _ => self.unknown_std(id, path, name),
                    }
                } else {
                    self.call(
                        id,
                        Callee::Method {
                            ty: path.clone(),
                            name,
                        },
                    );
                }
            }
            Ty::Prim(_) | Ty::Slice(_) | Ty::Array(..) => {
                let ty_name = match ty {
                    Ty::Prim(p) if p.is("str") => "str",
                    Ty::Prim(p) if p.is("char") => "char",
                    Ty::Slice(_) | Ty::Array(..) => "slice",
                    _ => "",
                };
                let what = if ty_name.is_empty() {
                    name.to_string()
                } else {
                    what(ty_name)
                };
                self.std_method_effects(id, ty, name, &what);
            }
            Ty::Param { bounds, .. } | Ty::Dyn(bounds) | Ty::Impl(bounds) => {
                self.trait_call(id, &traits(bounds), name, name.as_str());
            }
            Ty::Tuple(_) | Ty::FnPtr | Ty::Unknown | Ty::Ref { .. } | Ty::Ptr { .. } => {
                self.by_name(id, name)
            }
        }
    }

    /// A std type's method the table does not know.
    fn unknown_std(&mut self, id: ExprId, path: &[Sym], name: Sym) {
        let ty = crate::index::path_string(path);
        self.effect(
            id,
            EffectKind::Unknown(Unknown::NotInTable),
            &format!("{ty}::{name}"),
        );
    }

    /// A primitive's, a slice's or a `str`'s method.
    fn std_method_effects(&mut self, id: ExprId, ty: &Ty, name: Sym, what: &str) {
        let std = match ty {
            Ty::Prim(p) if p.is("char") => StdType::Char,
            Ty::Prim(p) if p.is("str") => StdType::Str,
            Ty::Slice(_) | Ty::Array(..) => StdType::Slice,
            _ => StdType::Scalar,
        };
        let api = std_method_api(std, name);
        if api.is_known() {
            self.judged(id, &[api], what);
        } else {
            self.effect(id, EffectKind::Unknown(Unknown::NotInTable), what);
        }
    }

    /// Whether `name` is a method a `#[derive]` of the type provides.
    fn derived(&self, adt: TypeKey, name: Sym) -> bool {
        let ir = ir_of(self.bcx, adt.0);
        let derives = match &ir.item(adt.1).kind {
            ItemKind::Struct(a) | ItemKind::Enum(a) | ItemKind::Union(a) => &a.derives,
            _ => return false,
        };
        let trait_ = match name.as_str() {
            "clone" | "clone_from" => "Clone",
            "eq" | "ne" => "PartialEq",
            "cmp" | "max" | "min" | "clamp" => "Ord",
            "partial_cmp" | "lt" | "le" | "gt" | "ge" => "PartialOrd",
            "hash" => "Hash",
            "fmt" => "Debug",
            "default" => "Default",
            _ => return false,
        };
        derives.iter().any(|d| d.is(trait_))
    }

    /// A method of a receiver whose type is not known: decided once every crate's methods are
    /// known.
    fn by_name(&mut self, id: ExprId, name: Sym) {
        let api = api::method(name);
        let std = if api.allocates().is_some() {
            Some(StdVerdict::Allocates)
        } else if api.has(ApiEffect::Grows) {
            Some(StdVerdict::MayAllocate)
        } else if api.has(ApiEffect::Blocks) {
            Some(StdVerdict::Blocks)
        } else if api.has(ApiEffect::Shrinks) {
            Some(StdVerdict::Frees)
        } else {
            None
        };
        self.call(
            id,
            Callee::ByName {
                name,
                plain: api::is_plain_method(name),
                std,
                panics: api.has(ApiEffect::UnwrapsOrPanics),
            },
        );
    }

    fn macro_call(&mut self, id: ExprId, m: MacroId) {
        let ir = self.bcx.ir;
        let call = ir.macro_call(m);
        let Some(name) = ir.path_last(ir.path(call.path)) else {
            return;
        };
        let shown = format!("{name}!");
        let api = api::macro_call(name.as_str());
        if api.allocates().is_some() {
            // `vec![]` makes an empty vector, which allocates nothing.
            let empty = matches!(call.args, MacroArgs::List(list) if list.is_empty());
            if !empty {
                self.effect(id, EffectKind::Allocates, &shown);
            }
            return;
        }
        if matches!(name.as_str(), "write" | "writeln") {
            return self.write_macro(id, call.args, &shown);
        }
        let effects = api::contract_macro(name.as_str());
        if effects.is_empty() {
            self.effect(id, EffectKind::Unknown(Unknown::Macro), &shown);
            return;
        }
        self.judged(id, &[Api { effects }], &shown);
    }

    /// `write!(w, ..)`: formats into `w`, which a `String` or a `Vec` grows for; a
    /// `Formatter` writes into its caller's.
    fn write_macro(&mut self, id: ExprId, args: MacroArgs, shown: &str) {
        let MacroArgs::List(list) = args else {
            return self.effect(id, EffectKind::Unknown(Unknown::Macro), shown);
        };
        let Some(&dest) = self.bcx.ir.list(list).first() else {
            return;
        };
        let ty = self.ty(dest);
        match peel(&ty) {
            Ty::Named(Type::External(path), _) => match StdType::of_path(path) {
                Some(StdType::String | StdType::Vec) => {
                    self.effect(id, EffectKind::MayAllocate, shown)
                }
                Some(StdType::Formatter) => {}
                _ => self.effect(id, EffectKind::Unknown(Unknown::Macro), shown),
            },
            Ty::Slice(_) | Ty::Array(..) => {}
            Ty::Named(Type::Crate(adt), _) => {
                let adt = *adt;
                for key in self.info.methods_of(adt, Sym::new("write_str")) {
                    self.call(id, Callee::Fn(key));
                }
            }
            _ => self.effect(id, EffectKind::Unknown(Unknown::Macro), shown),
        }
    }

    /// By-value parameters that own heap memory and stay in the function are dropped when it
    /// returns.
    fn param_drops(&mut self) {
        let bcx = self.bcx;
        let ir = bcx.ir;
        let mut params: Vec<LocalId> = ir
            .list(bcx.body.params)
            .iter()
            .filter_map(|&p| match ir.pat(p).kind {
                PatKind::Bind { local, sub: None } => Some(local),
                _ => None,
            })
            .collect();
        let self_by_value = bcx
            .function()
            .and_then(|f| f.sig.self_param)
            .is_some_and(|s| s.kind == SelfKind::Value);
        if self_by_value {
            params.extend(bcx.body.self_local);
        }
        let uses = bcx.uses();
        for local in params {
            let l = bcx.body.local(local);
            if l.by_ref {
                continue;
            }
            let ty = match l.ty {
                Some(ty) => Types::of_body(bcx).lower(ty, body_env(bcx)),
                None if l.kind == LocalKind::SelfParam => {
                    body_env(bcx).self_ty.clone().unwrap_or(Ty::Unknown)
                }
                None => continue,
            };
            if matches!(ty, Ty::Ref { .. } | Ty::Ptr { .. }) || self.owns(&ty) != Some(true) {
                continue;
            }
            let leaves = uses.of_local(local).iter().any(|&e| {
                matches!(
                    uses.of(e).map(|u| u.how),
                    Some(
                        crate::facts::uses::Use::Arg { .. }
                            | crate::facts::uses::Use::Return
                            | crate::facts::uses::Use::Part
                            | crate::facts::uses::Use::Assigned
                            | crate::facts::uses::Use::Let(_)
                            | crate::facts::uses::Use::MacroArg
                            | crate::facts::uses::Use::Tail
                            | crate::facts::uses::Use::Branch
                    )
                )
            });
            if leaves {
                continue;
            }
            let what = bcx.printer().local(local);
            self.sites.push(Site {
                span: l.span,
                expr: None,
                op: Op::Effect(Effect {
                    kind: EffectKind::Frees(Frees::Param),
                    what: Sym::new(&what),
                }),
            });
        }
    }
}

/// A std type's method for the contracts: the contracts' table, else std's own table of
/// plain methods when the name is one.
fn std_method_api(ty: StdType, name: Sym) -> Api {
    api::std_method(ty, name)
}

fn ir_of<'a>(bcx: &BodyCx<'_, 'a>, file: crate::diagnostic::FileId) -> &'a FileIr {
    bcx.cx
        .loaded
        .ir(file)
        .expect("a crate item's file has an IR")
}

/// Whether `name` is a variant of the enum `item`.
fn is_variant(ir: &FileIr, item: ItemId, name: Sym) -> bool {
    match &ir.item(item).kind {
        ItemKind::Enum(adt) => adt.variants.iter().any(|v| v.name == name),
        _ => false,
    }
}

/// The trait method an operator calls: `+` is `add`, `+=` `add_assign`, `==` `eq`.
fn op_method(op: BinOp, assign: bool) -> Option<&'static str> {
    Some(match (op, assign) {
        (BinOp::Add, false) => "add",
        (BinOp::Sub, false) => "sub",
        (BinOp::Mul, false) => "mul",
        (BinOp::Div, false) => "div",
        (BinOp::Rem, false) => "rem",
        (BinOp::Add, true) => "add_assign",
        (BinOp::Sub, true) => "sub_assign",
        (BinOp::Mul, true) => "mul_assign",
        (BinOp::Div, true) => "div_assign",
        (BinOp::Rem, true) => "rem_assign",
        (BinOp::Eq | BinOp::Ne, false) => "eq",
        (BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge, false) => "partial_cmp",
        _ => return None,
    })
}

/// Whether dropping a value of this type frees heap memory; `None` when unsure.
fn owns(bcx: &BodyCx<'_, '_>, ty: &Ty, depth: u32) -> Option<bool> {
    if depth > 6 {
        return None;
    }
    let any = |tys: &[Ty]| -> Option<bool> {
        let mut out = Some(false);
        for t in tys {
            match owns(bcx, t, depth + 1) {
                Some(true) => return Some(true),
                None => out = None,
                Some(false) => {}
            }
        }
        out
    };
    match ty {
        Ty::Prim(_) | Ty::Ref { .. } | Ty::Ptr { .. } | Ty::FnPtr => Some(false),
        Ty::Slice(e) | Ty::Array(e, _) => owns(bcx, e, depth + 1),
        Ty::Tuple(elems) => any(elems),
        Ty::Named(Type::External(path), args) => {
            if !path.first().is_some_and(|s| s.is("std")) {
                return None;
            }
            match path.last().map_or("", |s| s.as_str()) {
                "Vec" | "String" | "Box" | "Rc" | "Arc" | "HashMap" | "HashSet" | "BTreeMap"
                | "BTreeSet" | "VecDeque" | "BinaryHeap" | "LinkedList" | "OsString"
                | "PathBuf" | "CString" => Some(true),
                "Option" | "Result" | "Cell" | "RefCell" | "UnsafeCell" | "Mutex" | "RwLock"
                | "OnceCell" | "OnceLock" | "Wrapping" | "Reverse" | "Pin" => any(args),
                "ManuallyDrop" | "MaybeUninit" | "PhantomData" | "NonNull" | "Duration"
                | "Instant" | "Ordering" => Some(false),
                name if name.starts_with("Atomic") || name.starts_with("NonZero") => Some(false),
                _ => None,
            }
        }
        Ty::Named(Type::Crate(adt), _) => {
            let index = &bcx.cx.index;
            if index.has_drop(*adt) {
                return Some(true);
            }
            let types = crate::facts::types::Types::of_item(bcx.cx, adt.0, adt.1)?;
            let ir = index.ir(adt.0)?;
            match &ir.item(adt.1).kind {
                ItemKind::Struct(a) | ItemKind::Enum(a) => {
                    if a.derives.iter().any(|d| d.is("Copy")) {
                        return Some(false);
                    }
                    let generics: Vec<Sym> = a.generics.params.iter().map(|p| p.name).collect();
                    let mut out = Some(false);
                    for f in a.variants.iter().flat_map(|v| v.fields.iter()) {
                        if types.is_opaque(f.ty, &generics) {
                            out = None;
                            continue;
                        }
                        match types.owns(f.ty) {
                            crate::facts::types::Owns::Yes => return Some(true),
                            crate::facts::types::Owns::Unknown => out = None,
                            crate::facts::types::Owns::No => {}
                        }
                    }
                    out
                }
                ItemKind::Union(_) => Some(false),
                _ => None,
            }
        }
        Ty::Param { .. } | Ty::Dyn(_) | Ty::Impl(_) | Ty::Unknown => None,
    }
}

/// Through references and `Box`: what a method call or a field access reaches.
fn peel(ty: &Ty) -> &Ty {
    let mut ty = ty;
    for _ in 0..8 {
        ty = match ty {
            Ty::Ref { inner, .. } => inner,
            Ty::Named(_, args) if ty.is(&["std", "boxed", "Box"]) && !args.is_empty() => &args[0],
            _ => return ty,
        };
    }
    ty
}

/// The traits of a receiver's bounds that a call may reach: not the marker traits (`Send`,
/// `Sized`, `Copy`...), which have no methods.
fn traits(bounds: &[Bound]) -> Vec<TypeRef> {
    bounds
        .iter()
        .filter_map(|b| match b.resolved.as_ref()? {
            Type::Crate(key) => Some(TypeRef::Local(*key)),
            Type::External(p) => {
                let marker = p.len() == 3
                    && p[0].is("std")
                    && p[1].is("marker")
                    && matches!(p[2].as_str(), "Send" | "Sync" | "Sized" | "Unpin" | "Copy");
                (!marker).then(|| TypeRef::Path(p.clone()))
            }
        })
        .collect()
}

/// A path of another crate, without the index's `{unresolved}` mark: an import of a crate
/// that is not a dependency the tool knows of is still another crate's code, and is named
/// (and assumed, in the configuration) by the path written.
fn other_crate(path: Box<[Sym]>) -> Box<[Sym]> {
    match path.split_first() {
        Some((first, rest)) if first.is("{unresolved}") => rest.into(),
        _ => path,
    }
}
