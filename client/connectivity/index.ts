export { diagnoseConnectivity, gatherCandidates, type ConnectivityReport, type DiagnoseOptions, type Problem } from './diagnose'
export { explainProblem, type ProblemCode } from './problems'
