/**
 * InvertedPendulum MJCF: a cart on a 2 m rail with a hinged pole, 2 degrees of freedom (cart
 * slide, pole hinge), one motor on the cart (gear 100, ctrlrange [-3, 3]).
 *
 * Physical numbers are those of Gymnasium's InvertedPendulum-v4 model (0.02 s RK4 timestep,
 * joint damping 1, pole a capsule of radius 0.049 and length 0.6, no contacts).
 *
 * qpos: slider (cart x), hinge (pole angle).
 */
export const INVERTED_PENDULUM_XML = /* xml */ `
<mujoco model="inverted_pendulum">
  <compiler inertiafromgeom="true"/>
  <option integrator="RK4" timestep="0.02" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" armature="0" damping="1"/>
    <geom contype="0" friction="1 0.1 0.1"/>
    <motor ctrlrange="-3 3"/>
  </default>

  <worldbody>
    <!-- Drawing only (a light, a camera facing the rail): no physics. -->
    <light name="sun" type="directional" pos="0 0 4" dir="-0.3 0.3 -1" diffuse="0.8 0.8 0.8" specular="0.2 0.2 0.2"/>
    <camera name="track" mode="fixed" pos="0 -2.6 0.3" xyaxes="1 0 0 0 0 1"/>
    <geom name="rail" type="capsule" pos="0 0 0" quat="0.707 0 0.707 0" size="0.02 1"/>
    <body name="cart" pos="0 0 0">
      <joint name="slider" type="slide" axis="1 0 0" range="-1 1"/>
      <geom name="cart" type="capsule" pos="0 0 0" quat="0.707 0 0.707 0" size="0.1 0.1"/>
      <body name="pole" pos="0 0 0">
        <joint name="hinge" type="hinge" axis="0 1 0" range="-90 90"/>
        <geom name="cpole" type="capsule" fromto="0 0 0 0.001 0 0.6" size="0.049 0.3"/>
      </body>
    </body>
  </worldbody>

  <actuator>
    <motor name="slide" joint="slider" gear="100" ctrllimited="true" ctrlrange="-3 3"/>
  </actuator>
</mujoco>
`;
