# The test cluster's hosts: network namespace name, address (all in 198.18.0.0/15, the range
# reserved for network benchmarks). Sourced by up, down and the drills.
TC_PREFIX=${TC_PREFIX:-tandem-}  # overridable, so that several clusters can coexist (parallel work)
TC_SWITCH=${TC_PREFIX}sw
TC_HOSTS=(lb1 lb2 web1 web2 web3 client witness)
declare -A TC_ADDR=(
  [lb1]=198.18.0.11 [lb2]=198.18.0.12
  [web1]=198.18.0.21 [web2]=198.18.0.22 [web3]=198.18.0.23
  [client]=198.18.0.31 [witness]=198.18.0.41
)
TC_VIP=198.18.0.100
TC_PREFIXLEN=24
