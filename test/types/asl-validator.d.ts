// asl-validator ships no type declarations; this is the part of its API the tests use.
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: Array<{ message: string }>;
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: object, options?: { checkArn?: boolean; checkPaths?: boolean }): ValidationResult;
}
