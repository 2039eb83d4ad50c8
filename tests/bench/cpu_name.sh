# Sourced by the speed scripts: cpu_name prints the CPU as ocbench's records
# name it (harness/run/provenance.cpp's describe_cpu): the model name and, on
# x86, "(family F, model M)", since a VM may show only "AMD EPYC" for Zen 4
# and Zen 5 alike.
cpu_name() {
  awk -F': *' '
    /^model name[ \t]*:/ && name == "" { name = $2 }
    /^cpu family[ \t]*:/ && family == "" { family = $2 }
    /^model[ \t]*:/ && model == "" { model = $2 }
    /^$/ && name != "" { exit }
    END {
      if (name == "") print "unknown"
      else if (family == "" || model == "") print name
      else print name " (family " family ", model " model ")"
    }' /proc/cpuinfo
}
