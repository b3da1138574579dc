// Kernel IR -> LLVM IR -> O3 -> ORC LLJIT. LLVM's Error/Expected are
// converted to strings at this file's boundary; nothing is thrown through
// LLVM (Debian's LLVM 14 is built without exceptions).
//
// Each kernel K becomes `K_impl(n, t, dt, step, seed, stream, timed, spikes,
// nspikes, double* noalias var0, ...)` (always inlined) and the ABI entry
// `void K(snn_kernel_args*)` that unpacks the arguments and calls it, so the
// vectorizer sees non-aliasing state arrays.
#include "codegen/llvm/jit.h"
#include "diag/diagnostics.h"
#include "snn/vmath.h"
#include <fmt/format.h>

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Host.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <unistd.h>

namespace snnc::codegen {

namespace {

using kir::Assign;
using kir::Kernel;
using kir::KernelKind;

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::string to_text(llvm::Error e) {
  return llvm::toString(std::move(e));
}

// Emits one kernel into a module.
class Emitter {
public:
  Emitter(llvm::Module& m, llvm::TargetMachine& tm, const JitOptions& opts)
      : m_(m), ctx_(m.getContext()), b_(ctx_), tm_(tm), opts_(opts) {
    f64_ = llvm::Type::getDoubleTy(ctx_);
    i64_ = llvm::Type::getInt64Ty(ctx_);
    i32_ = llvm::Type::getInt32Ty(ctx_);
    i1_ = llvm::Type::getInt1Ty(ctx_);
    f64p_ = llvm::PointerType::getUnqual(f64_);
    i32p_ = llvm::PointerType::getUnqual(i32_);
    i64p_ = llvm::PointerType::getUnqual(i64_);
    // snn_timed_array {const double*, i64 rows, i64 cols, double dt, i64 k, i64* bad_col}
    timed_ = llvm::StructType::create(
        ctx_, {f64p_, i64_, i64_, f64_, i64_, llvm::PointerType::getUnqual(i64_)},
        "snn_timed_array");
    timedp_ = llvm::PointerType::getUnqual(timed_);
    // snn_kernel_args, field by field as in abi.h.
    llvm::Type* f64pp = llvm::PointerType::getUnqual(f64p_);
    args_ = llvm::StructType::create(
        ctx_, {i64_,  i64_,  f64_,  f64_,  i64_, i64_, f64pp, timedp_, i32p_, i64_, // 0-9
               f64pp, f64pp, i32p_, i32p_, i64_, i64_, i64_,  i64_,                 // 10-17
               i32p_, i64_,  i32p_, i64_,  i64_, i64_,                              // 18-23
               i32p_, i64_,  i64_,  i32p_},                                         // 24-27
        "snn_kernel_args");
    if (opts_.fast_math) {
      llvm::FastMathFlags fmf;
      fmf.setFast();
      b_.setFastMathFlags(fmf);
    }
  }

  void emit(const Kernel& k) {
    kernel_ = &k;
    draw_ = 0;
    // The inner function: scalars, then one noalias pointer per state array
    // (own, then presynaptic, then postsynaptic).
    std::vector<llvm::Type*> params = {i64_,  f64_,  f64_, i64_,  i64_, i64_, timedp_, i32p_, i64_,
                                       i32p_, i32p_, i64_, i64_,  i64_, i64_, i32p_,   i64_,  i32p_,
                                       i64_,  i64_,  i64_, i32p_, i64_, i64_, i32p_};
    std::size_t first_ptr = params.size();
    std::size_t nptrs = k.variables.size() + k.pre_variables.size() + k.post_variables.size();
    for (std::size_t s = 0; s < nptrs; ++s)
      params.push_back(f64p_);
    auto* ity = llvm::FunctionType::get(i64_, params, false);
    auto* inner =
        llvm::Function::Create(ity, llvm::Function::InternalLinkage, k.name + "_impl", m_);
    inner->addFnAttr(llvm::Attribute::AlwaysInline);
    attributes(*inner);
    for (std::size_t s = 0; s < nptrs; ++s)
      inner->addParamAttr(static_cast<unsigned>(first_ptr + s), llvm::Attribute::NoAlias);
    // The spike list is the runtime's own array, never a state array: no
    // run-time overlap checks in the threshold's and step's loops.
    inner->addParamAttr(7, llvm::Attribute::NoAlias);
    body(k, *inner, first_ptr);

    // The ABI entry point.
    auto* oty = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_),
                                        {llvm::PointerType::getUnqual(args_)}, false);
    auto* outer = llvm::Function::Create(oty, llvm::Function::ExternalLinkage, k.name, m_);
    attributes(*outer);
    auto* bb = llvm::BasicBlock::Create(ctx_, "entry", outer);
    b_.SetInsertPoint(bb);
    llvm::Value* a = outer->getArg(0);
    auto field = [&](unsigned idx, llvm::Type* ty, const char* name) {
      return b_.CreateLoad(ty, b_.CreateStructGEP(args_, a, idx), name);
    };
    std::vector<llvm::Value*> call_args = {field(0, i64_, "n"),
                                           field(2, f64_, "t"),
                                           field(3, f64_, "dt"),
                                           field(1, i64_, "step"),
                                           field(4, i64_, "seed"),
                                           field(5, i64_, "stream"),
                                           field(7, timedp_, "timed"),
                                           field(8, i32p_, "spikes"),
                                           field(9, i64_, "nspikes"),
                                           field(12, i32p_, "pre_index"),
                                           field(13, i32p_, "post_index"),
                                           field(14, i64_, "pre_offset"),
                                           field(15, i64_, "post_offset"),
                                           field(16, i64_, "n_pre"),
                                           field(17, i64_, "n_post"),
                                           field(18, i32p_, "selected"),
                                           field(19, i64_, "nselected"),
                                           field(20, i32p_, "out"),
                                           field(21, i64_, "out_cap"),
                                           field(22, i64_, "selected_first"),
                                           field(23, i64_, "first"),
                                           field(24, i32p_, "part_index"),
                                           field(25, i64_, "part_lo"),
                                           field(26, i64_, "part_hi"),
                                           field(27, i32p_, "global_index")};
    auto arrays = [&](unsigned idx, const std::vector<std::string>& names, const char* what) {
      if (names.empty()) return;
      llvm::Value* base = field(idx, llvm::PointerType::getUnqual(f64p_), what);
      for (std::size_t s = 0; s < names.size(); ++s)
        call_args.push_back(b_.CreateLoad(f64p_, b_.CreateConstGEP1_64(f64p_, base, s),
                                          std::string(what) + "_" + names[s]));
    };
    arrays(6, k.variables, "var");
    arrays(10, k.pre_variables, "pre");
    arrays(11, k.post_variables, "post");
    llvm::Value* count = b_.CreateCall(inner, call_args);
    if (k.kind == KernelKind::threshold || k.kind == KernelKind::step)
      b_.CreateStore(count, b_.CreateStructGEP(args_, a, 9));
    if (k.kind == KernelKind::syn_connect) b_.CreateStore(count, b_.CreateStructGEP(args_, a, 21));
    b_.CreateRetVoid();
  }

private:
  void attributes(llvm::Function& f) {
    f.addFnAttr("target-cpu", tm_.getTargetCPU());
    f.addFnAttr("target-features", tm_.getTargetFeatureString());
    f.addFnAttr(llvm::Attribute::NoUnwind);
  }

  // The inner function's scalar arguments and state pointers, by name.
  void unpack(const Kernel& k, llvm::Function& f, std::size_t first_ptr) {
    n_ = f.getArg(0);
    t_ = f.getArg(1);
    dt_ = f.getArg(2);
    step_ = f.getArg(3);
    seed_ = f.getArg(4);
    stream_ = f.getArg(5);
    timed_arg_ = f.getArg(6);
    spikes_ = f.getArg(7);
    nspikes_ = f.getArg(8);
    pre_index_ = f.getArg(9);
    post_index_ = f.getArg(10);
    pre_offset_ = f.getArg(11);
    post_offset_ = f.getArg(12);
    n_pre_ = f.getArg(13);
    n_post_ = f.getArg(14);
    selected_ = f.getArg(15);
    nselected_ = f.getArg(16);
    out_ = f.getArg(17);
    out_cap_ = f.getArg(18);
    selected_first_ = f.getArg(19);
    first_ = f.getArg(20);
    part_index_ = f.getArg(21);
    part_lo_ = f.getArg(22);
    part_hi_ = f.getArg(23);
    global_index_ = f.getArg(24);
    number_ = nullptr;
    for (int side = 0; side < 3; ++side)
      ptrs_[side].clear();
    unsigned arg = static_cast<unsigned>(first_ptr);
    for (const auto& v : k.variables)
      ptrs_[0][v] = f.getArg(arg++);
    for (const auto& v : k.pre_variables)
      ptrs_[1][v] = f.getArg(arg++);
    for (const auto& v : k.post_variables)
      ptrs_[2][v] = f.getArg(arg++);
  }

  void body(const Kernel& k, llvm::Function& f, std::size_t first_ptr) {
    if (k.kind == KernelKind::syn_connect && k.skip_ahead) return skip_ahead(k, f, first_ptr);
    if (k.kind == KernelKind::threshold || k.kind == KernelKind::step)
      return threshold(k, f, first_ptr);
    if (k.kind == KernelKind::syn_selected) return selected_synapses(k, f, first_ptr);
    unpack(k, f, first_ptr);

    auto* entry = llvm::BasicBlock::Create(ctx_, "entry", &f);
    auto* loop = llvm::BasicBlock::Create(ctx_, "loop", &f);
    auto* done = llvm::BasicBlock::Create(ctx_, "done", &f);
    b_.SetInsertPoint(entry);
    llvm::Value* trip = k.kind == KernelKind::reset         ? nspikes_
                        : k.kind == KernelKind::syn_connect ? n_post_
                                                            : n_;
    // Kernels over all elements start at `first` (one thread's part).
    llvm::Value* start = trip == n_ ? first_ : b_.getInt64(0);
    llvm::Value *gen_low = nullptr, *gen_step = nullptr;
    k_ = nullptr;
    if (k.kind == KernelKind::syn_connect && k.gen_j) {
      // A generator: as many iterations as range(low, high, step) has values.
      i_ = nselected_;
      pre_abs_ = b_.CreateAdd(pre_offset_, i_);
      post_abs_ = j_ = nullptr;
      temps_.clear();
      gen_low = int64_sat(to_double(expr(*k.gen_low)));
      llvm::Value* high = int64_sat(to_double(expr(*k.gen_high)));
      gen_step = int64_sat(to_double(expr(*k.gen_step)));
      llvm::Value* up = b_.CreateICmpSGT(gen_step, b_.getInt64(0));
      llvm::Value* span =
          b_.CreateSelect(up, b_.CreateSub(high, gen_low), b_.CreateSub(gen_low, high));
      llvm::Value* by = b_.CreateSelect(up, gen_step, b_.CreateNeg(gen_step));
      llvm::Value* n = b_.CreateSDiv(b_.CreateSub(b_.CreateAdd(span, by), b_.getInt64(1)), by);
      trip = b_.CreateSelect(b_.CreateICmpSGT(span, b_.getInt64(0)), n, b_.getInt64(0));
      if (k.gen_size) trip = sample(k, f, trip);
    }
    llvm::BasicBlock* head = b_.GetInsertBlock();
    b_.CreateCondBr(b_.CreateICmpSLT(start, trip), loop, done);

    b_.SetInsertPoint(loop);
    llvm::PHINode* iv = b_.CreatePHI(i64_, 2, "iv");
    iv->addIncoming(start, head);
    llvm::PHINode* count = nullptr;
    if (k.kind == KernelKind::syn_connect) {
      count = b_.CreatePHI(i64_, 2, "count");
      count->addIncoming(b_.getInt64(0), head);
    }
    index_ = k.kind == KernelKind::reset ? load_index(spikes_, iv) : iv;
    if (k.kind == KernelKind::syn_all) {
      synapse_at_index();
    } else if (k.kind == KernelKind::syn_connect && k.gen_j) {
      i_ = nselected_;
      pre_abs_ = b_.CreateAdd(pre_offset_, i_);
      llvm::Value* nth = iv;
      if (k.gen_size) nth = b_.CreateLoad(i64_, b_.CreateGEP(i64_, sample_, iv));
      k_ = b_.CreateAdd(gen_low, b_.CreateMul(nth, gen_step));
      temps_.clear();
      llvm::Value* j = int64_sat(to_double(expr(*k.gen_j)));
      gen_valid_ = b_.CreateAnd(b_.CreateICmpSGE(j, b_.getInt64(0)), b_.CreateICmpSLT(j, n_post_));
      j_ = b_.CreateSelect(gen_valid_, j, b_.getInt64(0)); // reads stay in the group
      post_abs_ = b_.CreateAdd(post_offset_, j_);
    } else if (k.kind == KernelKind::syn_connect) {
      i_ = nselected_;
      j_ = iv;
      pre_abs_ = b_.CreateAdd(pre_offset_, i_);
      post_abs_ = b_.CreateAdd(post_offset_, j_);
    } else {
      pre_abs_ = post_abs_ = nullptr;
      i_ = index_;
      j_ = nullptr;
    }
    if (!k.gen_j) temps_.clear();
    for (const Assign& a : k.body)
      assign(a);
    llvm::Value* next_count = count;
    if (k.kind == KernelKind::syn_connect) next_count = connect(k, f, count);
    llvm::Value* iv_next = b_.CreateAdd(iv, b_.getInt64(1), "iv.next");
    llvm::BasicBlock* latch = b_.GetInsertBlock();
    iv->addIncoming(iv_next, latch);
    if (count) count->addIncoming(next_count, latch);
    b_.CreateCondBr(b_.CreateICmpSLT(iv_next, trip), loop, done);

    b_.SetInsertPoint(done);
    if (count) {
      llvm::PHINode* result = b_.CreatePHI(i64_, 2, "total");
      result->addIncoming(b_.getInt64(0), head);
      result->addIncoming(next_count, latch);
      b_.CreateRet(result);
    } else {
      b_.CreateRet(b_.getInt64(0));
    }
  }

  // on_pre/on_post over the selected synapses: a list (`selected`), or, when
  // the runtime found them consecutive (`selected` null), a range from
  // `selected_first`, in a loop of its own whose state accesses the
  // vectorizer sees as contiguous. Each comes twice: for all the synapses,
  // and for one thread's part (`part_index` set: only the synapses whose
  // neuron there is in [part_lo, part_hi)).
  void selected_synapses(const Kernel& k, llvm::Function& f, std::size_t first_ptr) {
    unpack(k, f, first_ptr);
    auto* entry = llvm::BasicBlock::Create(ctx_, "entry", &f);
    auto* which = llvm::BasicBlock::Create(ctx_, "which", &f);
    auto* done = llvm::BasicBlock::Create(ctx_, "done", &f);
    b_.SetInsertPoint(entry);
    b_.CreateCondBr(b_.CreateICmpSGT(nselected_, b_.getInt64(0)), which, done);
    b_.SetInsertPoint(which);
    auto* all = llvm::BasicBlock::Create(ctx_, "all", &f);
    auto* part = llvm::BasicBlock::Create(ctx_, "part", &f);
    b_.CreateCondBr(b_.CreateIsNull(part_index_), all, part);
    for (bool in_part : {false, true}) {
      b_.SetInsertPoint(in_part ? part : all);
      auto* range = llvm::BasicBlock::Create(ctx_, "range", &f);
      auto* list = llvm::BasicBlock::Create(ctx_, "list", &f);
      b_.CreateCondBr(b_.CreateIsNull(selected_), range, list);
      for (bool contiguous : {true, false}) {
        llvm::BasicBlock* pre = contiguous ? range : list;
        auto* loop = llvm::BasicBlock::Create(ctx_, contiguous ? "range.loop" : "list.loop", &f);
        b_.SetInsertPoint(pre);
        b_.CreateBr(loop);
        b_.SetInsertPoint(loop);
        llvm::PHINode* iv = b_.CreatePHI(i64_, 2, "iv");
        iv->addIncoming(b_.getInt64(0), pre);
        index_ = contiguous ? b_.CreateAdd(selected_first_, iv) : load_index(selected_, iv);
        llvm::BasicBlock* latch = llvm::BasicBlock::Create(ctx_, "next", &f);
        if (in_part) {
          llvm::Value* at = load_index(part_index_, index_);
          llvm::Value* inside =
              b_.CreateAnd(b_.CreateICmpSGE(at, part_lo_), b_.CreateICmpSLT(at, part_hi_));
          auto* mine = llvm::BasicBlock::Create(ctx_, "mine", &f);
          b_.CreateCondBr(inside, mine, latch);
          b_.SetInsertPoint(mine);
        }
        synapse_at_index();
        temps_.clear();
        // Each of the four copies of the body draws the same numbers (the
        // draw counts from 0 in each), as the exported C++'s one loop does.
        draw_ = 0;
        for (const Assign& a : k.body)
          assign(a);
        b_.CreateBr(latch);
        b_.SetInsertPoint(latch);
        llvm::Value* iv_next = b_.CreateAdd(iv, b_.getInt64(1), "iv.next");
        iv->addIncoming(iv_next, latch);
        b_.CreateCondBr(b_.CreateICmpSLT(iv_next, nselected_), loop, done);
      }
    }
    b_.SetInsertPoint(done);
    b_.CreateRet(b_.getInt64(0));
  }

  // An element of an int32 index array, as int64.
  llvm::Value* load_index(llvm::Value* array, llvm::Value* at) {
    return b_.CreateSExt(b_.CreateLoad(i32_, b_.CreateGEP(i32_, array, at)), i64_);
  }
  // The synapse index_'s neurons: absolute (for their state) and relative
  // to the source and target subgroups (`i`, `j`).
  void synapse_at_index() {
    pre_abs_ = load_index(pre_index_, index_);
    post_abs_ = load_index(post_index_, index_);
    i_ = b_.CreateSub(pre_abs_, pre_offset_);
    j_ = b_.CreateSub(post_abs_, post_offset_);
    number_ = nullptr;
    if (!uses_number(*kernel_)) return;
    // The synapse's number: global_index[index_] if the runtime gives
    // them (a process's part of the synapses), else index_.
    llvm::Function* f = b_.GetInsertBlock()->getParent();
    llvm::BasicBlock* from = b_.GetInsertBlock();
    auto* load = llvm::BasicBlock::Create(ctx_, "global", f);
    auto* join = llvm::BasicBlock::Create(ctx_, "number", f);
    b_.CreateCondBr(b_.CreateIsNull(global_index_), join, load);
    b_.SetInsertPoint(load);
    llvm::Value* g =
        b_.CreateZExt(b_.CreateLoad(i32_, b_.CreateGEP(i32_, global_index_, index_)), i64_);
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
    llvm::PHINode* phi = b_.CreatePHI(i64_, 2, "number");
    phi->addIncoming(index_, from);
    phi->addIncoming(g, load);
    number_ = phi;
  }
  // Whether a synapse kernel draws random numbers or reads values from
  // data by synapse (`_syn`): both are keyed by the synapse's number.
  static bool uses_number(const Kernel& k) {
    bool found = false;
    kir::each_expression(k, [&](const ir::ExprPtr& e) {
      ir::visit(e, [&](const ir::ExprPtr& n) {
        found =
            found || ir::is_random_call(*n) ||
            (n->kind == ir::ExprKind::name && n->ref == ir::NameRef::builtin && n->name == "_syn");
      });
    });
    return found;
  }

  // A threshold in two passes: every element's condition into spikes[i]
  // (0 or -1, in a loop the vectorizer takes, which also counts them), then
  // the indices of the elements that spiked compacted in place, in order,
  // with their on-spike statements; a block of 32 or 8 conditions that are
  // all 0 is skipped at once, and the scan ends at the last spike (none: no
  // scan).
  // The spikes and their order are those of the one-pass loop, since the
  // on-spike statements write only their own element. A step kernel updates
  // each element first, in the condition's loop.
  void threshold(const Kernel& k, llvm::Function& f, std::size_t first_ptr) {
    internal_check(k.kind == KernelKind::step || k.body.empty(),
                   "a threshold kernel has statements before its condition");
    unpack(k, f, first_ptr);
    pre_abs_ = post_abs_ = j_ = nullptr;
    auto* entry = llvm::BasicBlock::Create(ctx_, "entry", &f);
    auto* cond_loop = llvm::BasicBlock::Create(ctx_, "cond", &f);
    auto* scan_start = llvm::BasicBlock::Create(ctx_, "scan.start", &f);
    auto* scan = llvm::BasicBlock::Create(ctx_, "scan", &f);
    auto* block32 = llvm::BasicBlock::Create(ctx_, "scan.block32", &f);
    auto* check8 = llvm::BasicBlock::Create(ctx_, "scan.check8", &f);
    auto* block = llvm::BasicBlock::Create(ctx_, "scan.block", &f);
    auto* one = llvm::BasicBlock::Create(ctx_, "scan.one", &f);
    auto* spike = llvm::BasicBlock::Create(ctx_, "spike", &f);
    auto* latch = llvm::BasicBlock::Create(ctx_, "scan.next", &f);
    auto* done = llvm::BasicBlock::Create(ctx_, "done", &f);
    b_.SetInsertPoint(entry);
    b_.CreateCondBr(b_.CreateICmpSLT(first_, n_), cond_loop, done);

    b_.SetInsertPoint(cond_loop);
    llvm::PHINode* iv = b_.CreatePHI(i64_, 2, "iv");
    iv->addIncoming(first_, entry);
    llvm::PHINode* found = b_.CreatePHI(i32_, 2, "found");
    found->addIncoming(b_.getInt32(0), entry);
    index_ = i_ = iv;
    temps_.clear();
    for (const Assign& a : k.body)
      assign(a);
    if (k.kind == KernelKind::step) { // the threshold's random numbers
      stream_ = b_.getInt64(k.condition_stream);
      draw_ = 0;
    }
    llvm::Value* cond = to_bool(expr(*k.condition));
    // -1 where the condition holds (one instruction vectorized; the scan
    // only asks for nonzero).
    b_.CreateStore(b_.CreateSExt(cond, i32_), b_.CreateGEP(i32_, spikes_, iv));
    llvm::Value* found_next = b_.CreateAdd(found, b_.CreateZExt(cond, i32_), "found.next");
    found->addIncoming(found_next, b_.GetInsertBlock());
    llvm::Value* iv_next = b_.CreateAdd(iv, b_.getInt64(1), "iv.next");
    iv->addIncoming(iv_next, b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpSLT(iv_next, n_), cond_loop, scan_start);

    b_.SetInsertPoint(scan_start);
    b_.CreateCondBr(b_.CreateICmpEQ(found_next, b_.getInt32(0)), done, scan);
    b_.SetInsertPoint(scan);
    llvm::PHINode* i = b_.CreatePHI(i64_, 3, "i");
    llvm::PHINode* count = b_.CreatePHI(i64_, 3, "count");
    i->addIncoming(first_, scan_start);
    count->addIncoming(b_.getInt64(0), scan_start);
    auto whole_block = [&](int64_t size) {
      llvm::Value* aligned =
          b_.CreateICmpEQ(b_.CreateAnd(i, b_.getInt64(size - 1)), b_.getInt64(0));
      return b_.CreateAnd(aligned, b_.CreateICmpSLE(b_.CreateAdd(i, b_.getInt64(size)), n_));
    };
    b_.CreateCondBr(whole_block(32), block32, check8);

    // Whether the `size` conditions from i on are all 0 (one vector load).
    auto all_zero = [&](unsigned size) {
      auto* v = llvm::FixedVectorType::get(i32_, size);
      llvm::Value* lanes = b_.CreateAlignedLoad(
          v, b_.CreateBitCast(b_.CreateGEP(i32_, spikes_, i), llvm::PointerType::getUnqual(v)),
          llvm::Align(4));
      llvm::Value* bits = b_.CreateBitCast(b_.CreateICmpNE(lanes, llvm::Constant::getNullValue(v)),
                                           b_.getIntNTy(size));
      return b_.CreateICmpEQ(bits, b_.getIntN(size, 0));
    };
    b_.SetInsertPoint(block32);
    llvm::Value* skip32 = b_.CreateAdd(i, b_.getInt64(32));
    b_.CreateCondBr(all_zero(32), latch, check8);

    b_.SetInsertPoint(check8);
    b_.CreateCondBr(whole_block(8), block, one);

    b_.SetInsertPoint(block);
    llvm::Value* skip_to = b_.CreateAdd(i, b_.getInt64(8));
    b_.CreateCondBr(all_zero(8), latch, one);

    b_.SetInsertPoint(one);
    llvm::Value* step1 = b_.CreateAdd(i, b_.getInt64(1));
    llvm::Value* set = b_.CreateLoad(i32_, b_.CreateGEP(i32_, spikes_, i));
    b_.CreateCondBr(b_.CreateICmpNE(set, b_.getInt32(0)), spike, latch);

    b_.SetInsertPoint(spike);
    b_.CreateStore(b_.CreateTrunc(i, i32_),
                   b_.CreateGEP(i32_, spikes_, b_.CreateAdd(first_, count)));
    index_ = i_ = i;
    temps_.clear();
    for (const Assign& a : k.on_spike)
      assign(a);
    llvm::Value* inc = b_.CreateAdd(count, b_.getInt64(1));
    llvm::BasicBlock* spike_end = b_.GetInsertBlock();
    b_.CreateBr(latch);

    b_.SetInsertPoint(latch);
    llvm::PHINode* i_next = b_.CreatePHI(i64_, 4, "i.next");
    llvm::PHINode* count_next = b_.CreatePHI(i64_, 4, "count.next");
    i_next->addIncoming(skip32, block32);
    count_next->addIncoming(count, block32);
    i_next->addIncoming(skip_to, block);
    count_next->addIncoming(count, block);
    i_next->addIncoming(step1, one);
    count_next->addIncoming(count, one);
    i_next->addIncoming(step1, spike_end);
    count_next->addIncoming(inc, spike_end);
    i->addIncoming(i_next, latch);
    count->addIncoming(count_next, latch);
    b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpSLT(i_next, n_),
                                 b_.CreateICmpSLT(count_next, b_.CreateZExt(found_next, i64_))),
                    scan, done);

    b_.SetInsertPoint(done);
    llvm::PHINode* total = b_.CreatePHI(i64_, 3, "total");
    total->addIncoming(b_.getInt64(0), entry);
    total->addIncoming(b_.getInt64(0), scan_start);
    total->addIncoming(count_next, latch);
    b_.CreateRet(total);
  }

  // Connect by skip-ahead sampling: the condition, p and n depend on i
  // only, so the next postsynaptic neuron that gets synapses is drawn
  // directly: j += 1 + floor(log(1 - u)/log(1 - p)). Cost O(synapses).
  void skip_ahead(const Kernel& k, llvm::Function& f, std::size_t first_ptr) {
    unpack(k, f, first_ptr);
    auto* entry = llvm::BasicBlock::Create(ctx_, "entry", &f);
    auto* loop = llvm::BasicBlock::Create(ctx_, "jump", &f);
    auto* emit = llvm::BasicBlock::Create(ctx_, "emit", &f);
    auto* emit_loop = llvm::BasicBlock::Create(ctx_, "emit.loop", &f);
    auto* next = llvm::BasicBlock::Create(ctx_, "next", &f);
    auto* done = llvm::BasicBlock::Create(ctx_, "done", &f);
    auto* overflow = llvm::BasicBlock::Create(ctx_, "overflow", &f);
    b_.SetInsertPoint(entry);
    i_ = nselected_;
    index_ = b_.getInt64(0);
    pre_abs_ = b_.CreateAdd(pre_offset_, i_);
    post_abs_ = nullptr;
    j_ = nullptr;
    temps_.clear();
    llvm::Value* take = to_bool(expr(*k.condition));
    llvm::Value* p = to_double(expr(*k.connect_p));
    llvm::Value* n = k.connect_n ? int64_sat(to_double(expr(*k.connect_n)))
                                 : static_cast<llvm::Value*>(b_.getInt64(1));
    llvm::Value* zero = llvm::ConstantFP::get(f64_, 0.0);
    llvm::Value* one = llvm::ConstantFP::get(f64_, 1.0);
    take = b_.CreateAnd(take, b_.CreateFCmpOGT(p, zero));
    take = b_.CreateAnd(take, b_.CreateICmpSGT(n, b_.getInt64(0)));
    // log(1 - p); with p >= 1 every neuron is taken (jump 0).
    llvm::Value* certain = b_.CreateFCmpOGE(p, one);
    llvm::Value* log_q = intrinsic(llvm::Intrinsic::log, {b_.CreateFSub(one, p)});
    // A p so small that log(1 - p) is 0 makes no synapses (the jump would be
    // infinite; expected synapses: p * n_post, about 0).
    take = b_.CreateAnd(take, b_.CreateOr(certain, b_.CreateFCmpOLT(log_q, zero)));
    b_.CreateCondBr(b_.CreateAnd(take, b_.CreateICmpSGT(n_post_, b_.getInt64(0))), loop, done);

    b_.SetInsertPoint(loop);
    llvm::PHINode* j = b_.CreatePHI(i64_, 2, "j.prev"); // the last candidate, -1 at first
    llvm::PHINode* count = b_.CreatePHI(i64_, 2, "count");
    j->addIncoming(b_.getInt64(-1), entry);
    count->addIncoming(b_.getInt64(0), entry);
    index_ = b_.CreateAdd(j, b_.getInt64(1));
    llvm::Value* u = random("snn_rand");
    draw_ = 0; // one draw per position: keyed by (i, j)
    llvm::Value* ratio =
        b_.CreateFDiv(intrinsic(llvm::Intrinsic::log, {b_.CreateFSub(one, u)}), log_q);
    llvm::Value* jump = b_.CreateSelect(
        certain, b_.getInt64(0),
        b_.CreateFPToSI(intrinsic(llvm::Intrinsic::floor,
                                  {b_.CreateMinNum(ratio, llvm::ConstantFP::get(f64_, 4e18))}),
                        i64_));
    llvm::Value* jn = b_.CreateAdd(index_, jump, "j");
    b_.CreateCondBr(b_.CreateICmpSLT(jn, n_post_), emit, done);

    b_.SetInsertPoint(emit);
    // n > cap - count: count + n could overflow.
    b_.CreateCondBr(b_.CreateICmpSGT(n, b_.CreateSub(out_cap_, count)), overflow, emit_loop);
    b_.SetInsertPoint(emit_loop);
    llvm::PHINode* r = b_.CreatePHI(i64_, 2, "r");
    r->addIncoming(b_.getInt64(0), emit);
    b_.CreateStore(b_.CreateTrunc(jn, i32_), b_.CreateGEP(i32_, out_, b_.CreateAdd(count, r)));
    llvm::Value* r_next = b_.CreateAdd(r, b_.getInt64(1));
    r->addIncoming(r_next, emit_loop);
    b_.CreateCondBr(b_.CreateICmpSLT(r_next, n), emit_loop, next);
    b_.SetInsertPoint(next);
    llvm::Value* count_next = b_.CreateAdd(count, n);
    j->addIncoming(jn, next);
    count->addIncoming(count_next, next);
    b_.CreateBr(loop);

    b_.SetInsertPoint(overflow);
    b_.CreateRet(b_.getInt64(-1));
    b_.SetInsertPoint(done);
    llvm::PHINode* total = b_.CreatePHI(i64_, 2, "total");
    total->addIncoming(b_.getInt64(0), entry);
    total->addIncoming(count, loop);
    b_.CreateRet(total);
  }

  // The pair (i, j) gets n synapses if the condition holds and, with p < 1,
  // rand() < p; their postsynaptic indices go to out[count...]. Returns the
  // new count, or -1 (sticky) when `out` is full.
  // sample(..., size = n) over a range of `total` values: n's draws
  // (sample_, snn_sample's array of offsets in the range); the loop's trip
  // count. A size outside 0 to total is clipped (skip_invalid) or ends the
  // kernel with -3, the size in out[0] and total in out[1].
  llvm::Value* sample(const Kernel& k, llvm::Function& f, llvm::Value* total) {
    llvm::Value* size = int64_sat(to_double(expr(*k.gen_size)));
    llvm::Value* over = b_.CreateICmpSGT(size, total);
    llvm::Value* negative = b_.CreateICmpSLT(size, b_.getInt64(0));
    if (k.skip_invalid) {
      size = b_.CreateSelect(over, total, b_.CreateSelect(negative, b_.getInt64(0), size));
    } else {
      auto* bad = llvm::BasicBlock::Create(ctx_, "sample.bad", &f);
      auto* ok = llvm::BasicBlock::Create(ctx_, "sample.ok", &f);
      b_.CreateCondBr(b_.CreateOr(over, negative), bad, ok);
      b_.SetInsertPoint(bad);
      auto i32_sat = [&](llvm::Value* v) {
        v = b_.CreateSelect(b_.CreateICmpSGT(v, b_.getInt64(INT32_MAX)), b_.getInt64(INT32_MAX), v);
        v = b_.CreateSelect(b_.CreateICmpSLT(v, b_.getInt64(INT32_MIN)), b_.getInt64(INT32_MIN), v);
        return b_.CreateTrunc(v, i32_);
      };
      b_.CreateStore(i32_sat(size), out_);
      b_.CreateStore(i32_sat(total), b_.CreateConstGEP1_64(i32_, out_, 1));
      b_.CreateRet(b_.getInt64(-3));
      b_.SetInsertPoint(ok);
    }
    sample_ = runtime("snn_sample", llvm::PointerType::getUnqual(i64_),
                      {seed_, stream_, nselected_, total, size});
    return size;
  }

  llvm::Value* connect(const Kernel& k, llvm::Function& f, llvm::Value* count) {
    llvm::Value* take = to_bool(expr(*k.condition));
    llvm::Value* invalid = nullptr; // a generator's j outside the group, and not skipped
    if (k.gen_j) {
      llvm::Value* bad = b_.CreateNot(gen_valid_);
      if (!k.skip_invalid) invalid = k.condition_uses_j ? bad : b_.CreateAnd(bad, take);
      take = b_.CreateAnd(take, gen_valid_);
    }
    if (k.connect_p) {
      llvm::Value* p = to_double(expr(*k.connect_p));
      llvm::Value* certain = b_.CreateFCmpOGE(p, llvm::ConstantFP::get(f64_, 1.0));
      llvm::Value* drawn = b_.CreateFCmpOLT(random("snn_rand"), p);
      take = b_.CreateAnd(take, b_.CreateOr(certain, drawn));
    }
    llvm::Value* n = k.connect_n ? int64_sat(to_double(expr(*k.connect_n)))
                                 : static_cast<llvm::Value*>(b_.getInt64(1));
    n = b_.CreateSelect(take, n, b_.getInt64(0));
    // n > cap - count: count + n could overflow (count >= 0 there).
    llvm::Value* full = b_.CreateOr(b_.CreateICmpSLT(count, b_.getInt64(0)),
                                    b_.CreateICmpSGT(n, b_.CreateSub(out_cap_, count)));
    // -1: the buffer is full (the runtime runs again with a larger one); -2:
    // an invalid j (an error). Either stays.
    llvm::Value* unchanged = b_.CreateSelect(b_.CreateICmpSLT(count, b_.getInt64(0)), count,
                                             b_.CreateSelect(full, b_.getInt64(-1), count));
    llvm::Value* added = b_.CreateAdd(count, n);
    auto* emit = llvm::BasicBlock::Create(ctx_, "emit", &f);
    auto* emit_loop = llvm::BasicBlock::Create(ctx_, "emit.loop", &f);
    auto* cont = llvm::BasicBlock::Create(ctx_, "emit.done", &f);
    llvm::BasicBlock* from = b_.GetInsertBlock();
    b_.CreateCondBr(b_.CreateAnd(b_.CreateNot(full), b_.CreateICmpSGT(n, b_.getInt64(0))), emit,
                    cont);
    b_.SetInsertPoint(emit);
    b_.CreateBr(emit_loop);
    b_.SetInsertPoint(emit_loop);
    llvm::PHINode* r = b_.CreatePHI(i64_, 2, "r");
    r->addIncoming(b_.getInt64(0), emit);
    b_.CreateStore(b_.CreateTrunc(j_, i32_), b_.CreateGEP(i32_, out_, b_.CreateAdd(count, r)));
    llvm::Value* r_next = b_.CreateAdd(r, b_.getInt64(1));
    r->addIncoming(r_next, emit_loop);
    b_.CreateCondBr(b_.CreateICmpSLT(r_next, n), emit_loop, cont);
    b_.SetInsertPoint(cont);
    llvm::PHINode* c = b_.CreatePHI(i64_, 2, "count.next");
    // From `from`: nothing emitted (count unchanged) or full (-1).
    c->addIncoming(unchanged, from);
    c->addIncoming(added, emit_loop);
    if (invalid) return b_.CreateSelect(invalid, b_.getInt64(-2), c);
    return c;
  }

  void assign(const Assign& a) {
    scalar_ = a.scalar;
    llvm::Value* v = expr(*a.value);
    scalar_ = false;
    if (a.temporary) {
      temps_[a.target] = v;
      return;
    }
    llvm::Value* ptr = element(a.target, a.side);
    llvm::Value* val = to_double(v);
    if (a.condition) {
      llvm::Value* old = b_.CreateLoad(f64_, ptr);
      val = b_.CreateSelect(to_bool(expr(*a.condition)), val, old);
    }
    b_.CreateStore(val, ptr);
  }

  // The address of variable `name` of the element this iteration handles:
  // the kernel's own element, or the synapse's pre- or postsynaptic neuron.
  llvm::Value* element(const std::string& name, ir::Side side) {
    int s = side == ir::Side::pre ? 1 : side == ir::Side::post ? 2 : 0;
    auto it = ptrs_[s].find(name);
    if (it == ptrs_[s].end())
      throw InternalError("kernel " + kernel_->name + " has no variable " + name);
    llvm::Value* at = s == 0 ? index_ : s == 1 ? pre_abs_ : post_abs_;
    const auto& one = kernel_->broadcast; // linked to a group of one neuron
    if (s == 0 && std::find(one.begin(), one.end(), name) != one.end())
      at = llvm::ConstantInt::get(index_->getType(), 0);
    for (const auto& [var, index] : kernel_->gathered) // linked with an index
      if (s == 0 && var == name)
        at = b_.CreateFPToSI(b_.CreateLoad(f64_, element(index, ir::Side::own)), i64_);
    if (!at) throw InternalError("kernel " + kernel_->name + " has no " + name + " on that side");
    return b_.CreateGEP(f64_, it->second, at);
  }

  // A select rather than uitofp: the same 0.0 or 1.0, and vectorized it is
  // one masked move instead of three conversions.
  llvm::Value* to_double(llvm::Value* v) {
    if (v->getType() != i1_) return v;
    return b_.CreateSelect(v, llvm::ConstantFP::get(f64_, 1.0), llvm::ConstantFP::get(f64_, 0.0));
  }
  llvm::Value* to_bool(llvm::Value* v) {
    return v->getType() == i1_ ? v : b_.CreateFCmpUNE(v, llvm::ConstantFP::get(f64_, 0.0));
  }

  llvm::Value* intrinsic(llvm::Intrinsic::ID id, std::vector<llvm::Value*> args) {
    std::vector<llvm::Type*> tys = {f64_};
    llvm::Function* f = llvm::Intrinsic::getDeclaration(&m_, id, tys);
    return b_.CreateCall(f, args);
  }

  // snn_exp of runtime/include/snn/vmath.h, operation for operation (the
  // exported C++ calls that one): plain arithmetic and llvm.fma (C's fma()),
  // so loops vectorize.
  llvm::Function* exp_function() {
    if (llvm::Function* f = m_.getFunction("snn_exp")) return f;
    auto* f = llvm::Function::Create(llvm::FunctionType::get(f64_, {f64_}, false),
                                     llvm::Function::InternalLinkage, "snn_exp", m_);
    f->addFnAttr(llvm::Attribute::AlwaysInline);
    attributes(*f);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
    b.setFastMathFlags(b_.getFastMathFlags());
    auto c = [&](double v) { return llvm::ConstantFP::get(f64_, v); };
    llvm::Value* x = f->getArg(0);
    llvm::Value* xc = b.CreateSelect(b.CreateFCmpOLT(x, c(SNN_EXP_HIGH)), x, c(SNN_EXP_HIGH));
    xc = b.CreateSelect(b.CreateFCmpOGT(xc, c(SNN_EXP_LOW)), xc, c(SNN_EXP_LOW));
    llvm::Function* floor = llvm::Intrinsic::getDeclaration(&m_, llvm::Intrinsic::floor, {f64_});
    llvm::Function* fma_fn = llvm::Intrinsic::getDeclaration(&m_, llvm::Intrinsic::fma, {f64_});
    auto fma = [&](llvm::Value* x, llvm::Value* y, llvm::Value* z) {
      return b.CreateCall(fma_fn, {x, y, z});
    };
    llvm::Value* n = b.CreateCall(floor, {fma(xc, c(SNN_EXP_INV_LN2), c(0.5))});
    llvm::Value* neg_n = b.CreateFNeg(n);
    llvm::Value* r = fma(neg_n, c(SNN_EXP_LN2_LO), fma(neg_n, c(SNN_EXP_LN2_HI), xc));
    // exp(r) = 1 + r + r^2 (pe(r^2) + r po(r^2)): two short Horner chains that
    // run side by side (the loops are long enough for latency to count).
    const double even[] = {1.0 / 479001600.0, 1.0 / 3628800.0, 1.0 / 40320.0,
                           1.0 / 720.0,       1.0 / 24.0,      0.5};
    const double odd[] = {1.0 / 6227020800.0, 1.0 / 39916800.0, 1.0 / 362880.0,
                          1.0 / 5040.0,       1.0 / 120.0,      1.0 / 6.0};
    llvm::Value* s = b.CreateFMul(r, r);
    llvm::Value* pe = c(even[0]);
    llvm::Value* po = c(odd[0]);
    for (std::size_t k = 1; k < std::size(even); ++k) {
      pe = fma(pe, s, c(even[k]));
      po = fma(po, s, c(odd[k]));
    }
    llvm::Value* e = b.CreateFAdd(c(1.0), fma(s, fma(po, r, pe), r));
    llvm::Value* k = b.CreateFPToSI(n, i64_);
    llvm::Value* k1 = b.CreateAShr(k, 1);
    auto pow2 = [&](llvm::Value* kk) {
      return b.CreateBitCast(b.CreateShl(b.CreateAdd(kk, b.getInt64(1023)), 52), f64_);
    };
    llvm::Value* y = b.CreateFMul(b.CreateFMul(e, pow2(k1)), pow2(b.CreateSub(k, k1)));
    b.CreateRet(b.CreateSelect(b.CreateFCmpUNO(x, x), x, y));
    return f;
  }

  // snn_int64_sat (abi.h): a double to int64 without poison.
  llvm::Value* int64_sat(llvm::Value* x) {
    return b_.CreateIntrinsic(llvm::Intrinsic::fptosi_sat, {i64_, f64_}, {x});
  }

  llvm::Value* libm(const std::string& name, std::vector<llvm::Value*> args) {
    std::vector<llvm::Type*> tys(args.size(), f64_);
    auto callee = m_.getOrInsertFunction(name, llvm::FunctionType::get(f64_, tys, false));
    auto* call = b_.CreateCall(callee, args);
    call->setDoesNotThrow();
    // Pure for us (nothing reads errno): equal calls in one kernel, such as
    // a subexpression's exprel that exponential_euler reads in A and B, are
    // computed once.
    call->setDoesNotAccessMemory();
    return call;
  }

  llvm::Value* runtime(const std::string& name, llvm::Type* ret, std::vector<llvm::Value*> args) {
    std::vector<llvm::Type*> tys;
    for (auto* a : args)
      tys.push_back(a->getType());
    auto callee = m_.getOrInsertFunction(name, llvm::FunctionType::get(ret, tys, false));
    auto* call = b_.CreateCall(callee, args);
    call->setDoesNotThrow();
    return call;
  }

  // snn_rand of runtime/src/random.cpp, operation for operation (Philox4x32-10
  // and its 53-bit double): integer arithmetic only, so loops with rand()
  // vectorize, and the bits are those of the runtime's function.
  llvm::Function* rand_function() {
    if (llvm::Function* f = m_.getFunction("snn_rand_inline")) return f;
    auto* f =
        llvm::Function::Create(llvm::FunctionType::get(f64_, {i64_, i64_, i64_, i64_, i32_}, false),
                               llvm::Function::InternalLinkage, "snn_rand_inline", m_);
    f->addFnAttr(llvm::Attribute::AlwaysInline);
    attributes(*f);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
    auto u64 = [&](uint64_t v) { return b.getInt64(v); };
    auto u32 = [&](uint32_t v) { return b.getInt32(v); };
    auto splitmix = [&](llvm::Value* x) {
      x = b.CreateAdd(x, u64(0x9E3779B97F4A7C15ull));
      x = b.CreateMul(b.CreateXor(x, b.CreateLShr(x, 30)), u64(0xBF58476D1CE4E5B9ull));
      x = b.CreateMul(b.CreateXor(x, b.CreateLShr(x, 27)), u64(0x94D049BB133111EBull));
      return b.CreateXor(x, b.CreateLShr(x, 31));
    };
    llvm::Value* seed = f->getArg(0);
    llvm::Value* stream = f->getArg(1);
    llvm::Value* step = f->getArg(2);
    llvm::Value* index = f->getArg(3);
    llvm::Value* draw = f->getArg(4);
    llvm::Value* key =
        splitmix(b.CreateXor(seed, splitmix(b.CreateAdd(stream, u64(0x632BE59BD9B4E019ull)))));
    llvm::Value* k0 = b.CreateTrunc(key, i32_);
    llvm::Value* k1 = b.CreateTrunc(b.CreateLShr(key, 32), i32_);
    llvm::Value* c[4] = {
        b.CreateTrunc(index, i32_),
        b.CreateXor(b.CreateTrunc(b.CreateLShr(index, 32), i32_), b.CreateShl(draw, 16)),
        b.CreateTrunc(step, i32_), b.CreateTrunc(b.CreateLShr(step, 32), i32_)};
    for (int round = 0; round < 10; ++round) {
      llvm::Value* p0 = b.CreateMul(u64(0xD2511F53u), b.CreateZExt(c[0], i64_));
      llvm::Value* p1 = b.CreateMul(u64(0xCD9E8D57u), b.CreateZExt(c[2], i64_));
      llvm::Value* hi0 = b.CreateTrunc(b.CreateLShr(p0, 32), i32_);
      llvm::Value* hi1 = b.CreateTrunc(b.CreateLShr(p1, 32), i32_);
      llvm::Value* lo0 = b.CreateTrunc(p0, i32_);
      llvm::Value* lo1 = b.CreateTrunc(p1, i32_);
      llvm::Value* n0 = b.CreateXor(b.CreateXor(hi1, c[1]), k0);
      llvm::Value* n2 = b.CreateXor(b.CreateXor(hi0, c[3]), k1);
      c[0] = n0;
      c[1] = lo1;
      c[2] = n2;
      c[3] = lo0;
      k0 = b.CreateAdd(k0, u32(0x9E3779B9u));
      k1 = b.CreateAdd(k1, u32(0xBB67AE85u));
    }
    llvm::Value* bits = b.CreateXor(b.CreateShl(b.CreateZExt(c[0], i64_), 21),
                                    b.CreateZExt(b.CreateLShr(c[1], 11), i64_));
    bits = b.CreateAnd(bits, u64((1ull << 53) - 1));
    b.CreateRet(b.CreateFMul(b.CreateUIToFP(bits, f64_), llvm::ConstantFP::get(f64_, 0x1.0p-53)));
    return f;
  }

  llvm::Value* random(const char* fn, std::vector<llvm::Value*> extra = {}) {
    // A shared variable's value is drawn once for the object: at one fixed
    // element, whichever element (thread, process) computes it.
    llvm::Value* element = scalar_ ? b_.getInt64(0) : number_ ? number_ : index_;
    std::vector<llvm::Value*> args = {seed_, stream_, step_, element, b_.getInt32(draw_++)};
    if (extra.empty() && std::string(fn) == "snn_rand") return b_.CreateCall(rand_function(), args);
    for (auto* e : extra)
      args.push_back(e);
    return runtime(fn, f64_, args);
  }

  llvm::Value* expr(const ir::Expr& e) {
    using ir::BinOp;
    using ir::ExprKind;
    switch (e.kind) {
    case ExprKind::number:
      return llvm::ConstantFP::get(f64_, e.number);
    case ExprKind::boolean:
      return b_.getInt1(e.number != 0);
    case ExprKind::name:
      return name(e);
    case ExprKind::list:
      throw InternalError("a list reached code generation");
    case ExprKind::unary: {
      llvm::Value* a = expr(*e.args[0]);
      switch (e.unop) {
      case ir::UnOp::neg:
        return b_.CreateFNeg(to_double(a));
      case ir::UnOp::plus:
        return a;
      case ir::UnOp::not_:
        return b_.CreateNot(to_bool(a));
      }
      break;
    }
    case ExprKind::binary: {
      llvm::Value* l = expr(*e.args[0]);
      llvm::Value* r = expr(*e.args[1]);
      if (e.binop == BinOp::and_) return b_.CreateAnd(to_bool(l), to_bool(r));
      if (e.binop == BinOp::or_) return b_.CreateOr(to_bool(l), to_bool(r));
      l = to_double(l);
      r = to_double(r);
      switch (e.binop) {
      case BinOp::add:
        return b_.CreateFAdd(l, r);
      case BinOp::sub:
        return b_.CreateFSub(l, r);
      case BinOp::mul:
        return b_.CreateFMul(l, r);
      case BinOp::div:
        return b_.CreateFDiv(l, r);
      case BinOp::floordiv:
        return intrinsic(llvm::Intrinsic::floor, {b_.CreateFDiv(l, r)});
      case BinOp::mod: {
        llvm::Value* q = intrinsic(llvm::Intrinsic::floor, {b_.CreateFDiv(l, r)});
        return b_.CreateFSub(l, b_.CreateFMul(q, r));
      }
      case BinOp::pow:
        return intrinsic(llvm::Intrinsic::pow, {l, r});
      case BinOp::lt:
        return b_.CreateFCmpOLT(l, r);
      case BinOp::le:
        return b_.CreateFCmpOLE(l, r);
      case BinOp::gt:
        return b_.CreateFCmpOGT(l, r);
      case BinOp::ge:
        return b_.CreateFCmpOGE(l, r);
      case BinOp::eq:
        return b_.CreateFCmpOEQ(l, r);
      case BinOp::ne:
        return b_.CreateFCmpUNE(l, r);
      default:
        break;
      }
      break;
    }
    case ExprKind::call:
      return call(e);
    }
    throw InternalError("unknown expression in code generation");
  }

  llvm::Value* name(const ir::Expr& e) {
    switch (e.ref) {
    case ir::NameRef::variable:
      return b_.CreateLoad(f64_, element(e.target, e.side));
    case ir::NameRef::temporary: {
      auto it = temps_.find(e.name);
      if (it == temps_.end()) throw InternalError("temporary " + e.name + " used before set");
      return it->second;
    }
    case ir::NameRef::builtin:
      if (e.name == "t") return t_;
      if (e.name == "dt") return dt_;
      if (e.name == "i") return b_.CreateSIToFP(i_, f64_);
      if (e.name == "_syn") return b_.CreateSIToFP(number_ ? number_ : index_, f64_);
      if (e.name == "j" && j_) return b_.CreateSIToFP(j_, f64_);
      if (e.name == "_k" && k_) return b_.CreateSIToFP(k_, f64_);
      if (e.name == "N") return b_.CreateSIToFP(n_, f64_);
      if (e.name == "N_pre") return b_.CreateSIToFP(n_pre_, f64_);
      if (e.name == "N_post") return b_.CreateSIToFP(n_post_, f64_);
      break;
    default:
      break;
    }
    throw InternalError("name '" + e.name + "' reached code generation unresolved");
  }

  llvm::Value* call(const ir::Expr& e) {
    const std::string& fn = e.name;
    if (fn == "rand") return random("snn_rand");
    if (fn == "randn") return random("snn_randn");
    std::vector<llvm::Value*> a;
    for (const auto& arg : e.args)
      a.push_back(to_double(expr(*arg)));
    if (fn == "poisson") return random("snn_poisson", {a[0]});
    if (fn == "binomial") return random("snn_binomial", {a[0], a[1]});
    static const std::map<std::string, llvm::Intrinsic::ID> intrinsics = {
        {"log", llvm::Intrinsic::log},     {"log10", llvm::Intrinsic::log10},
        {"sqrt", llvm::Intrinsic::sqrt},   {"sin", llvm::Intrinsic::sin},
        {"cos", llvm::Intrinsic::cos},     {"abs", llvm::Intrinsic::fabs},
        {"floor", llvm::Intrinsic::floor}, {"ceil", llvm::Intrinsic::ceil},
        {"int", llvm::Intrinsic::trunc}};
    if (fn == "exp") return b_.CreateCall(exp_function(), a);
    if (auto it = intrinsics.find(fn); it != intrinsics.end()) return intrinsic(it->second, a);
    static const std::map<std::string, std::string> libm_names = {
        {"tan", "tan"},     {"sinh", "sinh"},   {"cosh", "cosh"},
        {"tanh", "tanh"},   {"arcsin", "asin"}, {"arccos", "acos"},
        {"arctan", "atan"}, {"expm1", "expm1"}, {"log1p", "log1p"}};
    if (auto it = libm_names.find(fn); it != libm_names.end()) return libm(it->second, a);
    if (fn == "exprel") {
      llvm::Value* zero = llvm::ConstantFP::get(f64_, 0.0);
      llvm::Value* q = b_.CreateFDiv(libm("expm1", a), a[0]);
      return b_.CreateSelect(b_.CreateFCmpOEQ(a[0], zero), llvm::ConstantFP::get(f64_, 1.0), q);
    }
    if (fn == "sign") {
      llvm::Value* zero = llvm::ConstantFP::get(f64_, 0.0);
      return b_.CreateFSub(b_.CreateUIToFP(b_.CreateFCmpOGT(a[0], zero), f64_),
                           b_.CreateUIToFP(b_.CreateFCmpOLT(a[0], zero), f64_));
    }
    if (fn == "clip") {
      // Brian2's _clip: lo if x < lo, hi if x > hi, else x.
      llvm::Value* lo = b_.CreateSelect(b_.CreateFCmpOLT(a[0], a[1]), a[1], a[0]);
      return b_.CreateSelect(b_.CreateFCmpOGT(lo, a[2]), a[2], lo);
    }
    // t + 1e-3*dt, as snn_timestep (abi_support.cpp) computes it.
    auto shifted = [&] {
      return b_.CreateFAdd(a[0], b_.CreateFMul(llvm::ConstantFP::get(f64_, 1e-3), a[1]));
    };
    if (fn == "timestep") {
      // snn_timestep inline so that loops vectorize: int64((t + 1e-3*dt)/dt),
      // operation for operation, saturating as it does (a plain fptosi of a
      // value out of range is poison).
      return b_.CreateSIToFP(int64_sat(b_.CreateFDiv(shifted(), a[1])), f64_);
    }
    if (fn == "timestep_at_least") {
      // timestep(x, dt) >= n as x + 1e-3*dt >= snn_timestep_bound(n, dt):
      // the bound does not depend on the element, and is computed once.
      auto* bound = llvm::cast<llvm::CallInst>(runtime("snn_timestep_bound", f64_, {a[2], a[1]}));
      bound->setDoesNotAccessMemory();
      bound->addFnAttr(llvm::Attribute::WillReturn);
      return b_.CreateFCmpOGE(shifted(), bound);
    }
    // A timed array.
    const auto& names = kernel_->timed;
    for (std::size_t s = 0; s < names.size(); ++s) {
      if (names[s] != fn) continue;
      llvm::Value* arr = b_.CreateConstGEP1_64(timed_, timed_arg_, s);
      if (a.size() == 1) return runtime("snn_timed_1d", f64_, {arr, a[0]});
      // snn_column (abi.h): NaN and below -1e18 is column -1, reported as bad.
      llvm::Value* column =
          b_.CreateSelect(b_.CreateFCmpULT(a[1], llvm::ConstantFP::get(f64_, -1e18)),
                          b_.getInt64(-1), int64_sat(a[1]));
      return runtime("snn_timed_2d", f64_, {arr, a[0], column});
    }
    throw InternalError("unknown function '" + fn + "' in code generation");
  }

  llvm::Module& m_;
  llvm::LLVMContext& ctx_;
  llvm::IRBuilder<> b_;
  llvm::TargetMachine& tm_;
  const JitOptions& opts_;
  llvm::Type *f64_, *i64_, *i32_, *i1_;
  llvm::PointerType *f64p_, *i32p_, *i64p_, *timedp_;
  llvm::StructType *timed_, *args_;
  const Kernel* kernel_ = nullptr;
  llvm::Value *n_, *t_, *dt_, *step_, *seed_, *stream_, *timed_arg_, *spikes_, *nspikes_, *index_;
  llvm::Value *global_index_ = nullptr, *number_ = nullptr;
  llvm::Value *pre_index_ = nullptr, *post_index_ = nullptr, *pre_offset_ = nullptr,
              *post_offset_ = nullptr, *selected_ = nullptr, *nselected_ = nullptr, *out_ = nullptr,
              *out_cap_ = nullptr, *selected_first_ = nullptr;
  llvm::Value *part_index_ = nullptr, *part_lo_ = nullptr, *part_hi_ = nullptr;
  llvm::Value *n_pre_, *n_post_, *first_ = nullptr, *pre_abs_ = nullptr, *post_abs_ = nullptr,
                                 *i_ = nullptr, *j_ = nullptr, *k_ = nullptr, *sample_ = nullptr;
  llvm::Value* gen_valid_ = nullptr; // a generator's j is within the target group
  std::map<std::string, llvm::Value*> ptrs_[3], temps_;
  std::uint32_t draw_ = 0;
  bool scalar_ = false; // compiling the value of a shared variable (Assign::scalar)
};

void init_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

bool is_native(const CpuChoice& cpu) {
  return cpu.name.empty() || cpu.name == "native";
}

class LlvmJit final : public Jit {
public:
  bool init(const CpuChoice& cpu, std::string& error) {
    init_llvm();
    auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!jtmb) return error = to_text(jtmb.takeError()), false;
    if (is_native(cpu)) {
      cpu_ = jtmb->getCPU() + " (native)";
    } else {
      // That CPU's own features, not the host's.
      jtmb = llvm::orc::JITTargetMachineBuilder(jtmb->getTargetTriple());
      jtmb->setCPU(cpu.name);
      cpu_ = cpu.name;
    }
    jtmb->setCodeGenOptLevel(llvm::CodeGenOpt::Aggressive);
    auto tm = jtmb->createTargetMachine();
    if (!tm) return error = to_text(tm.takeError()), false;
    tm_ = std::move(*tm);
    auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(*jtmb).create();
    if (!jit) return error = to_text(jit.takeError()), false;
    jit_ = std::move(*jit);
    // The runtime functions kernels call, by address: the runtime is linked
    // into this process, not exported from it.
    auto& jd = jit_->getMainJITDylib();
    llvm::orc::SymbolMap syms;
    auto def = [&](const char* name, auto* fn) {
      syms[jit_->mangleAndIntern(name)] = llvm::JITEvaluatedSymbol(
          llvm::pointerToJITTargetAddress(fn), llvm::JITSymbolFlags::Exported);
    };
    def("snn_rand", &snn_rand);
    def("snn_randn", &snn_randn);
    def("snn_poisson", &snn_poisson);
    def("snn_binomial", &snn_binomial);
    def("snn_sample", &snn_sample);
    def("snn_timed_1d", &snn_timed_1d);
    def("snn_timed_2d", &snn_timed_2d);
    def("snn_timestep", &snn_timestep);
    def("snn_timestep_bound", &snn_timestep_bound);
    if (auto err = jd.define(llvm::orc::absoluteSymbols(std::move(syms))))
      return error = to_text(std::move(err)), false;
    // libm (tan, expm1, ...) from the process.
    auto gen = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
        jit_->getDataLayout().getGlobalPrefix());
    if (!gen) return error = to_text(gen.takeError()), false;
    jd.addGenerator(std::move(*gen));
    // glibc's vector math library, for vectorized exp/log in fast mode.
    auto mvec = llvm::orc::DynamicLibrarySearchGenerator::Load(
        "libmvec.so.1", jit_->getDataLayout().getGlobalPrefix());
    if (mvec) {
      jd.addGenerator(std::move(*mvec));
      have_mvec_ = true;
    } else {
      llvm::consumeError(mvec.takeError());
    }
    return true;
  }

  bool compile(const std::vector<kir::Kernel>& kernels, const JitOptions& opts,
               std::string& error) override {
    auto t0 = std::chrono::steady_clock::now();
    auto ctx = std::make_unique<llvm::LLVMContext>();
    auto mod = std::make_unique<llvm::Module>("snnc_kernels_" + std::to_string(modules_++), *ctx);
    mod->setDataLayout(jit_->getDataLayout());
    mod->setTargetTriple(jit_->getTargetTriple().str());
    Emitter em(*mod, *tm_, opts);
    // Structurally identical kernels compile once; the others are served by
    // the first one's function.
    const std::vector<std::size_t> code = kir::shared_code(kernels);
    for (std::size_t i = 0; i < kernels.size(); ++i)
      if (code[i] == i) em.emit(kernels[i]);
    std::string verify;
    llvm::raw_string_ostream vs(verify);
    if (llvm::verifyModule(*mod, &vs)) return error = "invalid LLVM IR: " + vs.str(), false;
    timings_.codegen_ms = ms_since(t0);

    t0 = std::chrono::steady_clock::now();
    optimize(*mod, opts);
    timings_.optimize_ms = ms_since(t0);
    if (opts.keep_ir) {
      ir_.clear();
      llvm::raw_string_ostream os(ir_);
      mod->print(os, nullptr);
    }

    t0 = std::chrono::steady_clock::now();
    if (auto err = jit_->addIRModule(llvm::orc::ThreadSafeModule(std::move(mod), std::move(ctx))))
      return error = to_text(std::move(err)), false;
    timings_.shared = 0;
    for (std::size_t i = 0; i < kernels.size(); ++i) {
      if (code[i] != i) {
        fns_[kernels[i].name] = fns_.at(kernels[code[i]].name); // emitted before it
        ++timings_.shared;
        continue;
      }
      auto sym = jit_->lookup(kernels[i].name);
      if (!sym) return error = to_text(sym.takeError()), false;
      fns_[kernels[i].name] = reinterpret_cast<snn_kernel_fn>(sym->getAddress());
    }
    timings_.jit_ms = ms_since(t0);
    if (std::getenv("SNNC_PERF_MAP")) write_perf_map();
    return true;
  }

  snn_kernel_fn lookup(const std::string& name) override {
    auto it = fns_.find(name);
    return it == fns_.end() ? nullptr : it->second;
  }
  const std::string& optimized_ir() const override { return ir_; }
  const JitTimings& timings() const override { return timings_; }

private:
  // SNNC_PERF_MAP=1: /tmp/perf-PID.map names the kernels for `perf report`
  // (a kernel's size is taken as the distance to the next one).
  void write_perf_map() const {
    std::vector<std::pair<std::uintptr_t, std::string>> syms;
    for (const auto& [name, fn] : fns_)
      syms.push_back({reinterpret_cast<std::uintptr_t>(fn), name});
    std::sort(syms.begin(), syms.end());
    std::FILE* f = std::fopen(("/tmp/perf-" + std::to_string(::getpid()) + ".map").c_str(), "a");
    if (!f) return;
    for (std::size_t k = 0; k < syms.size(); ++k) {
      std::uintptr_t size = k + 1 < syms.size() ? syms[k + 1].first - syms[k].first : 4096;
      std::fprintf(f, "%lx %lx %s\n", static_cast<unsigned long>(syms[k].first),
                   static_cast<unsigned long>(size), syms[k].second.c_str());
    }
    std::fclose(f);
  }

  void optimize(llvm::Module& m, const JitOptions& opts) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PipelineTuningOptions pto;
    pto.LoopVectorization = true;
    pto.SLPVectorization = true; // off by default in LLVM 14
    llvm::PassBuilder pb(tm_.get(), pto);
    llvm::Triple triple(m.getTargetTriple());
    llvm::TargetLibraryInfoImpl tlii(triple);
    if (opts.fast_math && have_mvec_)
      tlii.addVectorizableFunctionsFromVecLib(llvm::TargetLibraryInfoImpl::LIBMVEC_X86);
    fam.registerPass([&] { return llvm::TargetLibraryAnalysis(tlii); });
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
    mpm.run(m, mam);
  }

  const std::string& cpu() const override { return cpu_; }

  std::unique_ptr<llvm::TargetMachine> tm_;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::string cpu_;
  std::map<std::string, snn_kernel_fn> fns_;
  std::string ir_;
  JitTimings timings_;
  int modules_ = 0;
  bool have_mvec_ = false;
};

} // namespace

CpuChoice choose_cpu(const std::string& requested, const std::string& option) {
  if (!requested.empty()) return {requested, option};
  if (const char* env = std::getenv("SNNC_CPU"); env && *env) return {env, "SNNC_CPU"};
  return {"native", ""};
}

std::string cpu_problem(const CpuChoice& cpu) {
  if (is_native(cpu)) return "";
  init_llvm();
  const std::string triple = llvm::sys::getProcessTriple();
  std::string err;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, err);
  if (!target) throw InternalError("LLVM has no target for " + triple + ": " + err);
  const std::string from = cpu.from.empty() ? "" : " (" + cpu.from + ")";
  // Checked on the generic CPU: made for an unknown name, LLVM would warn on stderr.
  std::unique_ptr<llvm::MCSubtargetInfo> sti(target->createMCSubtargetInfo(triple, "", ""));
  if (!sti || !sti->isCPUStringValid(cpu.name))
    return fmt::format("unknown CPU '{}'{}: use 'native' or an LLVM CPU name for {}, such as "
                       "haswell (AVX2), skylake-avx512, znver3 or x86-64-v3 (`llc-14 "
                       "-mcpu=help` lists them all)",
                       cpu.name, from, triple);
  sti.reset(target->createMCSubtargetInfo(triple, cpu.name, ""));
  // The CPU's instruction-set features this machine lacks (the host reports
  // its instruction-set features only; tuning features are not among them).
  llvm::StringMap<bool> host;
  llvm::sys::getHostCPUFeatures(host);
  // Only the features compiled code uses count: a virtual machine often
  // hides system instructions (pku, mwaitx, wbnoinvd, ...) of its CPU.
  auto emitted = [](const std::string& f) {
    static const std::set<std::string> more = {
        "f16c", "bmi", "bmi2", "lzcnt",  "popcnt",     "movbe", "adx",  "cx16", "sahf", "prfchw",
        "xop",  "tbm", "aes",  "pclmul", "vpclmulqdq", "gfni",  "vaes", "sha",  "cmov", "mmx"};
    for (const char* p : {"sse", "avx", "fma", "amx"})
      if (f.rfind(p, 0) == 0) return true;
    return more.count(f) > 0;
  };
  std::vector<std::string> missing;
  for (const auto& h : host) {
    const std::string f = h.first().str();
    if (!h.second && emitted(f) && sti->checkFeatures("+" + f)) missing.push_back(f);
  }
  std::sort(missing.begin(), missing.end());
  if (missing.empty()) return "";
  return fmt::format("CPU '{}'{} has features this machine's CPU ({}) lacks: {}; code for it "
                     "would stop with an illegal instruction here",
                     cpu.name, from, llvm::sys::getHostCPUName().str(), fmt::join(missing, ", "));
}

std::unique_ptr<Jit> Jit::create(const CpuChoice& cpu, std::string& error) {
  auto j = std::make_unique<LlvmJit>();
  if (!j->init(cpu, error)) return nullptr;
  return j;
}

} // namespace snnc::codegen
