#!/usr/bin/env bash
# bench anchor: the recipe's way (docs/recipe.md) done by a script, one worker at a
# time: ssh-copy-id with sshpass, then ssh in to rename it with sudo; then the machine
# file, and a BatchMode ssh to each worker to prove it. Runs on the master as the boards'
# user. Trust on first use by accept-new, as beowulf does.
#   SSHPASS=linaro recipe_bootstrap.sh PREFIX COUNT     (workers are PREFIX11 ...)
set -euo pipefail
prefix=$1 count=$2
[[ -f ~/.ssh/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -f ~/.ssh/id_ed25519
echo "${prefix}10" > ~/machine_file
for i in $(seq 1 "$count"); do
  address="$prefix$((10 + i))" name=$(printf 'worker%03d' "$i")
  sshpass -e ssh-copy-id -o StrictHostKeyChecking=accept-new -i ~/.ssh/id_ed25519.pub "linaro@$address" >/dev/null 2>&1
  printf '%s\n' "$SSHPASS" | ssh -o BatchMode=yes "linaro@$address" \
    "sudo -S -p '' sh -c 'echo $name > /etc/hostname && hostname $name && sed -i \"s/linaro-nano/$name/\" /etc/hosts'"
  echo "$address" >> ~/machine_file
done
for i in $(seq 1 "$count"); do ssh -o BatchMode=yes "linaro@$prefix$((10 + i))" true; done
