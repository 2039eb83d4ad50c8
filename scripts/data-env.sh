# Sourced by the quick-start and test scripts: if no data root was chosen,
# use ../shared/data when this checkout sits beside one (the layout the
# project is developed and tested in); otherwise ocbench looks in ./data and
# /usr/share/datasets and downloads what is missing.
if [ -z "${OCBENCH_DATA:-}" ] && [ -d "../shared/data" ]; then
  OCBENCH_DATA="$(cd ../shared/data && pwd)"
  export OCBENCH_DATA
fi
