/**
 * MJCF for the Humanoid task (Humanoid-v4 and HumanoidTruncatedObs-v2).
 *
 * Written for this package from the published physical numbers of the Gymnasium / gym
 * `humanoid.xml` (Tassa, Erez and Todorov 2012): capsule body parts of density 1000, RK4 at
 * 0.003 s with the PGS solver and 50 iterations (Gymnasium's file and gym 0.17.2's, which the
 * paper's v2 tasks ran, both say so; MuJoCo's default would be Newton), 17 hinge joints with
 * their published ranges, stiffness, damping and armature, and 17 motors (ctrl range +-0.4,
 * gears 25..300).
 * Drawing elements are our own (a checkered floor, one light, a camera following the torso;
 * no geom user data); they do not touch the dynamics. The two fixed tendons carry no limit, stiffness or actuator
 * and so exert no force; they are kept so the model matches the published one element for element.
 *
 * Layout the tasks rely on (checked in the tests):
 * - nq = 24 (free joint 7 + 17 hinges), nv = 23, nu = 17, nbody = 14 (world + 13 parts).
 * - the observation's cinert / cvel / cfrc_ext blocks run over all 14 bodies, world included.
 */
export const HUMANOID_XML = /* xml */ `
<mujoco model="humanoid">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.003" integrator="RK4" solver="PGS" iterations="50"/>

  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom contype="1" conaffinity="1" condim="1" margin="0.001"/>
    <motor ctrllimited="true" ctrlrange="-0.4 0.4"/>
  </default>

  <!-- Drawing only (a checkered floor, a light, a camera that follows the body): no physics. -->
  <asset>
    <texture name="floor" type="2d" builtin="checker" rgb1="0.16 0.19 0.23" rgb2="0.32 0.36 0.41" width="64" height="64"/>
    <material name="floor" texture="floor" texrepeat="40 40" reflectance="0.1"/>
  </asset>

  <worldbody>
    <light name="sun" type="directional" pos="0 0 4" dir="-0.3 0.3 -1" diffuse="0.8 0.8 0.8" specular="0.2 0.2 0.2"/>
    <geom name="floor" type="plane" material="floor" size="20 20 0.125" pos="0 0 0" condim="3" friction="1 0.1 0.1"/>

    <body name="torso" pos="0 0 1.4">

      <camera name="track" mode="trackcom" pos="0 -4 0" xyaxes="1 0 0 0 0 1"/>
      <joint name="root" type="free" pos="0 0 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <geom name="torso1" type="capsule" size="0.07" fromto="0 -0.07 0 0 0.07 0"/>
      <geom name="head" type="sphere" size="0.09" pos="0 0 0.19"/>
      <geom name="uwaist" type="capsule" size="0.06" fromto="-0.01 -0.06 -0.12 -0.01 0.06 -0.12"/>

      <body name="lwaist" pos="-0.01 0 -0.26" quat="1 0 -0.002 0">
        <geom name="lwaist" type="capsule" size="0.06" fromto="0 -0.06 0 0 0.06 0"/>
        <joint name="abdomen_z" type="hinge" axis="0 0 1" pos="0 0 0.065" range="-45 45" stiffness="20" damping="5" armature="0.02"/>
        <joint name="abdomen_y" type="hinge" axis="0 1 0" pos="0 0 0.065" range="-75 30" stiffness="10" damping="5" armature="0.02"/>

        <body name="pelvis" pos="0 0 -0.165" quat="1 0 -0.002 0">
          <joint name="abdomen_x" type="hinge" axis="1 0 0" pos="0 0 0.1" range="-35 35" stiffness="10" damping="5" armature="0.02"/>
          <geom name="butt" type="capsule" size="0.09" fromto="-0.02 -0.07 0 -0.02 0.07 0"/>

          <body name="right_thigh" pos="0 -0.1 -0.04">
            <joint name="right_hip_x" type="hinge" axis="1 0 0" pos="0 0 0" range="-25 5" stiffness="10" damping="5" armature="0.01"/>
            <joint name="right_hip_z" type="hinge" axis="0 0 1" pos="0 0 0" range="-60 35" stiffness="10" damping="5" armature="0.01"/>
            <joint name="right_hip_y" type="hinge" axis="0 1 0" pos="0 0 0" range="-110 20" stiffness="20" damping="5" armature="0.008"/>
            <geom name="right_thigh1" type="capsule" size="0.06" fromto="0 0 0 0 0.01 -0.34"/>
            <body name="right_shin" pos="0 0.01 -0.403">
              <joint name="right_knee" type="hinge" axis="0 -1 0" pos="0 0 0.02" range="-160 -2" armature="0.006"/>
              <geom name="right_shin1" type="capsule" size="0.049" fromto="0 0 0 0 0 -0.3"/>
              <body name="right_foot" pos="0 0 -0.45">
                <geom name="right_foot" type="sphere" size="0.075" pos="0 0 0.1"/>
              </body>
            </body>
          </body>

          <body name="left_thigh" pos="0 0.1 -0.04">
            <joint name="left_hip_x" type="hinge" axis="-1 0 0" pos="0 0 0" range="-25 5" stiffness="10" damping="5" armature="0.01"/>
            <joint name="left_hip_z" type="hinge" axis="0 0 -1" pos="0 0 0" range="-60 35" stiffness="10" damping="5" armature="0.01"/>
            <joint name="left_hip_y" type="hinge" axis="0 1 0" pos="0 0 0" range="-110 20" stiffness="20" damping="5" armature="0.01"/>
            <geom name="left_thigh1" type="capsule" size="0.06" fromto="0 0 0 0 -0.01 -0.34"/>
            <body name="left_shin" pos="0 -0.01 -0.403">
              <joint name="left_knee" type="hinge" axis="0 -1 0" pos="0 0 0.02" range="-160 -2" stiffness="1" armature="0.006"/>
              <geom name="left_shin1" type="capsule" size="0.049" fromto="0 0 0 0 0 -0.3"/>
              <body name="left_foot" pos="0 0 -0.45">
                <geom name="left_foot" type="sphere" size="0.075" pos="0 0 0.1"/>
              </body>
            </body>
          </body>
        </body>
      </body>

      <body name="right_upper_arm" pos="0 -0.17 0.06">
        <joint name="right_shoulder1" type="hinge" axis="2 1 1" pos="0 0 0" range="-85 60" stiffness="1" armature="0.0068"/>
        <joint name="right_shoulder2" type="hinge" axis="0 -1 1" pos="0 0 0" range="-85 60" stiffness="1" armature="0.0051"/>
        <geom name="right_uarm1" type="capsule" size="0.04 0.16" fromto="0 0 0 0.16 -0.16 -0.16"/>
        <body name="right_lower_arm" pos="0.18 -0.18 -0.18">
          <joint name="right_elbow" type="hinge" axis="0 -1 1" pos="0 0 0" range="-90 50" stiffness="0" armature="0.0028"/>
          <geom name="right_larm" type="capsule" size="0.031" fromto="0.01 0.01 0.01 0.17 0.17 0.17"/>
          <geom name="right_hand" type="sphere" size="0.04" pos="0.18 0.18 0.18"/>
        </body>
      </body>

      <body name="left_upper_arm" pos="0 0.17 0.06">
        <joint name="left_shoulder1" type="hinge" axis="2 -1 1" pos="0 0 0" range="-60 85" stiffness="1" armature="0.0068"/>
        <joint name="left_shoulder2" type="hinge" axis="0 1 1" pos="0 0 0" range="-60 85" stiffness="1" armature="0.0051"/>
        <geom name="left_uarm1" type="capsule" size="0.04 0.16" fromto="0 0 0 0.16 0.16 -0.16"/>
        <body name="left_lower_arm" pos="0.18 0.18 -0.18">
          <joint name="left_elbow" type="hinge" axis="0 -1 -1" pos="0 0 0" range="-90 50" stiffness="0" armature="0.0028"/>
          <geom name="left_larm" type="capsule" size="0.031" fromto="0.01 -0.01 0.01 0.17 -0.17 0.17"/>
          <geom name="left_hand" type="sphere" size="0.04" pos="0.18 -0.18 0.18"/>
        </body>
      </body>
    </body>
  </worldbody>

  <tendon>
    <fixed name="left_hipknee">
      <joint joint="left_hip_y" coef="-1"/>
      <joint joint="left_knee" coef="1"/>
    </fixed>
    <fixed name="right_hipknee">
      <joint joint="right_hip_y" coef="-1"/>
      <joint joint="right_knee" coef="1"/>
    </fixed>
  </tendon>

  <actuator>
    <motor name="abdomen_y" joint="abdomen_y" gear="100"/>
    <motor name="abdomen_z" joint="abdomen_z" gear="100"/>
    <motor name="abdomen_x" joint="abdomen_x" gear="100"/>
    <motor name="right_hip_x" joint="right_hip_x" gear="100"/>
    <motor name="right_hip_z" joint="right_hip_z" gear="100"/>
    <motor name="right_hip_y" joint="right_hip_y" gear="300"/>
    <motor name="right_knee" joint="right_knee" gear="200"/>
    <motor name="left_hip_x" joint="left_hip_x" gear="100"/>
    <motor name="left_hip_z" joint="left_hip_z" gear="100"/>
    <motor name="left_hip_y" joint="left_hip_y" gear="300"/>
    <motor name="left_knee" joint="left_knee" gear="200"/>
    <motor name="right_shoulder1" joint="right_shoulder1" gear="25"/>
    <motor name="right_shoulder2" joint="right_shoulder2" gear="25"/>
    <motor name="right_elbow" joint="right_elbow" gear="25"/>
    <motor name="left_shoulder1" joint="left_shoulder1" gear="25"/>
    <motor name="left_shoulder2" joint="left_shoulder2" gear="25"/>
    <motor name="left_elbow" joint="left_elbow" gear="25"/>
  </actuator>
</mujoco>
`;
