import { runFlood } from '/work/main/bench/flood-run'
const f = await runFlood({ honestClients: 2, badFrames: 2000, badProcesses: 1, floodRounds: 1, maxMs: 40_000, baselineMs: 500, chatEveryMs: 200, niceOffenders: false })
console.log(JSON.stringify(f.offenders), JSON.stringify(f.byMode))
process.exit(0)
