#!/bin/bash
# Submits the shard array and the merge that waits for it:
#
#   POPULATION=pop.json docs/cluster/submit-array.sh [extra sbatch options for the array]
#
# e.g. --array=0-31 for 32 shards. The summary lands in results/<array job id>/summary.json
# (or $OUT/summary.json if OUT is set).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# --parsable prints "<id>" or, on a multi-cluster site, "<id>;<cluster>".
array=$(sbatch --parsable "$@" "$here/simulate-array.sbatch")
array=${array%%;*}
export OUT=${OUT:-results/$array}
# afterok on the array's id waits for all its tasks and needs every one to succeed; without
# --kill-on-invalid-dep a failed task would leave the merge pending forever (DependencyNeverSatisfied).
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes "$here/merge.sbatch")
echo "array $array, merge ${merge%%;*}: $OUT/summary.json"
