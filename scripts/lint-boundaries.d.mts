// Types for scripts/lint-boundaries.mjs, imported by packages/core/src/boundaries.test.ts.
export interface BoundaryProblem {
  file: string;
  line: number;
  message: string;
}
export declare const PACKAGES: string[];
export declare const CORE_ALLOWED: string[];
export declare function stripComments(text: string): string;
export declare function importsOf(text: string): { specifier: string; line: number }[];
export declare function checkSource(pkg: string, file: string, text: string, root?: string): BoundaryProblem[];
export declare function checkPackage(pkg: string, root?: string): BoundaryProblem[];
