// snnc._snnc: the Python extension module, a thin layer over the C++ API
// (compiler/api/snnc.h). The JIT, the runtime and the batch API stay in C++;
// simulation runs with the GIL released, and Python callbacks take it back.
// The Python package (python/snnc) gives it its Brian2-like interface.
#include "api/progress.h"
#include "api/snnc.h"

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>

namespace py = pybind11;

namespace {

// Steps run between two looks at Python's signals (Ctrl-C), GIL released.
constexpr std::int64_t kChunk = 2000;

snnc::CompileOptions options(const std::map<std::string, std::string>& constants, bool fast,
                             const std::string& cpu) {
  snnc::CompileOptions o;
  o.constants = constants;
  o.fast_math = fast;
  o.cpu = cpu;
  return o;
}

py::dict info(const snnc::ObjectInfo& o) {
  py::dict d;
  d["name"] = o.name;
  d["kind"] = o.kind;
  d["size"] = o.size;
  d["variables"] = o.variables;
  d["units"] = o.units;
  d["source"] = o.source;
  d["target"] = o.target;
  return d;
}

std::vector<py::dict> infos(const std::vector<snnc::ObjectInfo>& v) {
  std::vector<py::dict> out;
  for (const auto& o : v)
    out.push_back(info(o));
  return out;
}

// A numpy array over `v`'s memory that keeps `owner` (the simulation) alive.
py::array view(snn::Values& v, py::handle owner) {
  return py::array_t<double>({static_cast<py::ssize_t>(v.size())}, {sizeof(double)}, v.data(),
                             owner);
}

template <class T> py::array copy(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

// Runs `steps` steps in chunks, the GIL released, checking for Ctrl-C
// (KeyboardInterrupt) between chunks.
void run_steps(snnc::Simulation& sim, std::int64_t steps) {
  sim.check_output(steps); // the whole run against the disk, once
  while (steps > 0) {
    std::int64_t n = std::min(steps, kChunk);
    {
      py::gil_scoped_release release;
      sim.run_steps(n);
    }
    steps -= n;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  }
}

// Wraps a Python callable for the C++ API: it runs with the GIL.
std::function<void(snnc::Simulation&)> callback(py::function fn) {
  // The function object is released with the GIL held.
  std::shared_ptr<py::function> held(new py::function(std::move(fn)), [](py::function* f) {
    py::gil_scoped_acquire gil;
    delete f;
  });
  return [held](snnc::Simulation&) {
    py::gil_scoped_acquire gil;
    (*held)();
  };
}

} // namespace

PYBIND11_MODULE(_snnc, m) {
  m.doc() = "snnc's C++ API (compiler/api/snnc.h); use the snnc package, not this module";
  static py::exception<snnc::ModelError> model_error(m, "ModelError", PyExc_Exception);
  static py::exception<snnc::OutputError> output_error(m, "OutputError", PyExc_OSError);
  static py::exception<snnc::BatchError> batch_error(m, "BatchError", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const snnc::ModelError& e) {
      PyErr_SetString(model_error.ptr(), e.what());
    } catch (const snn::ModelError& e) { // found while running (a timed array's column, ...)
      PyErr_SetString(model_error.ptr(), e.what());
    } catch (const snnc::OutputError& e) {
      PyErr_SetString(output_error.ptr(), e.what());
    } catch (const snnc::BatchError& e) {
      PyErr_SetString(batch_error.ptr(), e.what());
    } catch (const std::out_of_range& e) {
      PyErr_SetString(PyExc_KeyError, e.what()); // unknown names
    }
  });

  py::class_<snnc::Model, std::shared_ptr<snnc::Model>>(m, "Model")
      .def_static(
          "compile",
          [](const std::string& path, const std::map<std::string, std::string>& constants,
             bool fast, const std::string& cpu) {
            return std::const_pointer_cast<snnc::Model>(
                snnc::Model::compile(path, options(constants, fast, cpu)));
          },
          py::arg("path"), py::arg("constants"), py::arg("fast_math"), py::arg("cpu"),
          py::call_guard<py::gil_scoped_release>())
      .def_static(
          "compile_text",
          [](const std::string& text, const std::map<std::string, std::string>& constants,
             bool fast, const std::string& cpu, const std::string& name) {
            return std::const_pointer_cast<snnc::Model>(
                snnc::Model::compile_text(text, options(constants, fast, cpu), name));
          },
          py::arg("text"), py::arg("constants"), py::arg("fast_math"), py::arg("cpu"),
          py::arg("name"), py::call_guard<py::gil_scoped_release>())
      .def(
          "instantiate",
          [](const snnc::Model& model, std::uint64_t seed, const std::string& dir) {
            return std::shared_ptr<snnc::Simulation>(model.instantiate(seed, dir));
          },
          py::arg("seed"), py::arg("results_dir"), py::call_guard<py::gil_scoped_release>())
      .def("dt", &snnc::Model::dt)
      .def("cpu", &snnc::Model::cpu)
      .def("seed", &snnc::Model::seed)
      .def("constant", &snnc::Model::constant)
      .def("quantity", &snnc::Model::quantity, py::arg("expr"), py::arg("unit"), py::arg("what"))
      .def("groups", [](const snnc::Model& m) { return infos(m.groups()); })
      .def("synapses", [](const snnc::Model& m) { return infos(m.synapses()); })
      .def("monitors", [](const snnc::Model& m) { return infos(m.monitors()); });

  py::class_<snnc::Simulation, std::shared_ptr<snnc::Simulation>>(m, "Simulation")
      .def("steps_for", &snnc::Simulation::steps_for)
      .def("run_steps", [](snnc::Simulation& s, std::int64_t n) { run_steps(s, n); })
      .def("run_schedule", &snnc::Simulation::run_schedule,
           py::call_guard<py::gil_scoped_release>())
      .def("t", &snnc::Simulation::t)
      .def("step", &snnc::Simulation::step)
      .def("set_step", &snnc::Simulation::set_step)
      .def("set_threads", &snnc::Simulation::set_threads)
      .def("variable",
           [](py::object self, const std::string& group, const std::string& var) {
             return view(self.cast<snnc::Simulation&>().variable(group, var), self);
           })
      .def("synapse_variable",
           [](py::object self, const std::string& syn, const std::string& var) {
             return view(self.cast<snnc::Simulation&>().synapse_variable(syn, var), self);
           })
      .def("synapse_count", &snnc::Simulation::synapse_count)
      .def("synapse_indices", [](const snnc::Simulation& s, const std::string& syn,
                                 bool pre) { return copy(s.synapse_indices(syn, pre)); })
      .def("recording",
           [](snnc::Simulation& s, const std::string& name) {
             const snn::Recording& r = s.recording(name);
             py::dict d;
             d["kind"] = r.kind == snn::MonitorKind::spikes  ? "spikes"
                         : r.kind == snn::MonitorKind::state ? "state"
                                                             : "rate";
             d["streamed"] = r.streamed;
             d["t"] = copy(r.t);
             d["i"] = copy(r.i);
             d["count"] = copy(r.count);
             d["rate"] = copy(r.rate);
             d["record"] = copy(r.record);
             py::dict values;
             for (std::size_t v = 0; v < r.variables.size(); ++v)
               values[py::str(r.variables[v])] = copy(r.values[v]);
             d["values"] = values;
             return d;
           })
      .def("reset_monitor", &snnc::Simulation::reset_monitor)
      .def("at",
           [](snnc::Simulation& s, double t, py::function fn) { s.at(t, callback(std::move(fn))); })
      .def("every", [](snnc::Simulation& s, double period, py::function fn,
                       double from) { s.every(period, callback(std::move(fn)), from); })
      .def("store", &snnc::Simulation::store)
      .def("restore", &snnc::Simulation::restore)
      .def("write_results", &snnc::Simulation::write_results,
           py::call_guard<py::gil_scoped_release>());

  m.def(
      "run_batch",
      [](int n, py::function trial, int threads, bool progress) {
        std::vector<py::object> results(static_cast<std::size_t>(std::max(n, 0)));
        std::optional<snnc::Progress> shown;
        if (progress) shown.emplace("batch", n, "trials");
        {
          py::gil_scoped_release release;
          snnc::run_batch(
              n, threads,
              [&](int k) {
                py::gil_scoped_acquire gil;
                results[static_cast<std::size_t>(k)] = trial(k);
              },
              [&](int done, int) {
                if (shown) shown->update(done);
              });
        }
        if (shown) shown->finish();
        return results;
      },
      py::arg("n"), py::arg("trial"), py::arg("threads"), py::arg("progress"));

  // Trials over the processes of an mpirun (api/snnc.h): `trial` returns
  // bytes (the package pickles), every process gets all of them back.
  m.def(
      "run_batch_gathered",
      [](int n, py::function trial, int threads, bool progress) {
        std::optional<snnc::Progress> shown;
        if (progress && snnc::process_rank() == 0) shown.emplace("batch", n, "trials");
        std::vector<std::string> results;
        {
          py::gil_scoped_release release;
          results = snnc::run_batch_gathered(
              n, threads,
              [&](int k) {
                py::gil_scoped_acquire gil;
                return trial(k).cast<std::string>();
              },
              [&](int done, int) {
                if (shown) shown->update(done);
              });
        }
        if (shown) shown->finish();
        py::list out;
        for (const std::string& r : results)
          out.append(py::bytes(r));
        return out;
      },
      py::arg("n"), py::arg("trial"), py::arg("threads"), py::arg("progress"));
  m.def("process_rank", &snnc::process_rank);
  m.def("process_count", &snnc::process_count);

  // The progress display of snnc run and run_batch (api/progress.h).
  py::class_<snnc::Progress>(m, "Progress")
      .def(py::init(
               [](const std::string& what, double total, const std::string& unit, double delay) {
                 return std::make_unique<snnc::Progress>(what, total, unit, delay);
               }),
           py::arg("what"), py::arg("total"), py::arg("unit"), py::arg("delay") = 0.0)
      .def("update", &snnc::Progress::update)
      .def("finish", &snnc::Progress::finish);

  // std::mt19937_64 with the standard library's algorithms: protocols
  // ported from C++ (examples/xo) draw the same numbers as the C++ ones.
  py::class_<std::mt19937_64>(m, "Random")
      .def(py::init<std::uint64_t>(), py::arg("seed"))
      .def("__call__", [](std::mt19937_64& r) { return r(); })
      .def("uniform", [](std::mt19937_64& r, double a,
                         double b) { return std::uniform_real_distribution<double>(a, b)(r); })
      .def("shuffle", [](std::mt19937_64& r, py::list items) {
        std::vector<py::object> v;
        for (auto x : items)
          v.push_back(py::reinterpret_borrow<py::object>(x));
        std::shuffle(v.begin(), v.end(), r);
        for (std::size_t k = 0; k < v.size(); ++k)
          items[k] = v[k];
      });
}
