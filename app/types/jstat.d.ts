/** The one part of jstat the measurement report uses: the inverse of Student's t distribution. */
declare module "jstat" {
  const jStat: {
    studentt: {
      /** The value below which the share p of a t distribution with dof degrees of freedom lies. */
      inv(p: number, dof: number): number;
    };
  };
  export default jStat;
}
